import { describe, expect, it } from 'vitest';
import type { DatabentoSourceConfig } from './live/create-databento-source.ts';
import type { MarketDataSource, SourceOptions } from './source.ts';
import { createSource, DEFAULT_SIM_MINUTES, parseSourceSpec, SourceSpecError } from './sources.ts';

describe('parseSourceSpec', () => {
  it('parses the three kinds', () => {
    expect(parseSourceSpec('replay:/data/xnas-2026-11-20.dbn.zst')).toEqual({
      kind: 'replay',
      path: '/data/xnas-2026-11-20.dbn.zst',
    });
    // A path may itself contain colons.
    expect(parseSourceSpec('replay:C:/x.dbn')).toEqual({ kind: 'replay', path: 'C:/x.dbn' });
    expect(parseSourceSpec('sim:42:30')).toEqual({ kind: 'sim', seed: 42, minutes: 30 });
    expect(parseSourceSpec('sim:42')).toEqual({ kind: 'sim', seed: 42, minutes: DEFAULT_SIM_MINUTES });
    expect(parseSourceSpec(' databento ')).toEqual({ kind: 'databento' });
  });

  it.each([
    ['', /expected replay:PATH, sim:SEED\[:MINUTES\] or databento/],
    ['replay:', /replay needs a path/],
    ['sim:', /sim:SEED\[:MINUTES\]/],
    ['sim:abc', /SEED must be a non-negative integer, got "abc"/],
    ['sim:-1', /SEED must be a non-negative integer/],
    ['sim:42:0', /MINUTES must be 1\.\.630, got 0/],
    ['sim:42:631', /MINUTES must be 1\.\.630/],
    ['sim:42:30:1', /sim:SEED\[:MINUTES\]/],
    ['sim:42:1.5', /MINUTES must be a non-negative integer/],
    ['databento:x', /expected replay:PATH/],
    ['kafka:topic', /bad source "kafka:topic"/],
  ])('rejects %j with a clear message', (spec, msg) => {
    expect(() => parseSourceSpec(spec)).toThrow(SourceSpecError);
    expect(() => parseSourceSpec(spec)).toThrow(msg);
  });
});

describe('createSource', () => {
  it('builds the simulator from sim:SEED:MINUTES, with the tickers on the first batch', async () => {
    const src = await createSource('sim:9:1', { sim: { symbols: 100, activity: 0.02, preMarketMinutes: 1 } });
    expect(src.kind).toBe('sim');
    let first = true;
    let records = 0;
    for await (const b of src.batches()) {
      if (first) expect(b.symbols).toHaveLength(100);
      else expect(b.symbols).toHaveLength(0);
      first = false;
      records += b.records.count;
    }
    await src.close();
    expect(records).toBeGreaterThan(100 + 2000);
  });

  it('passes the databento config to the live factory', async () => {
    const calls: unknown[] = [];
    const fake: MarketDataSource = {
      kind: 'databento',
      batches: async function* () {},
      close: async () => {},
    };
    const src = await createSource('databento', {
      databento: { apiKey: 'db-test', dataset: 'EQUS.MINI', schemas: ['mbp-1', 'status'] },
      createLive: (config: DatabentoSourceConfig, opts: SourceOptions) => {
        calls.push(config, typeof opts.onEvent);
        return fake;
      },
      onEvent: () => {},
    });
    expect(src).toBe(fake);
    expect(calls).toEqual([
      { apiKey: 'db-test', dataset: 'EQUS.MINI', schemas: ['mbp-1', 'status'] },
      'function',
    ]);
  });

  it('builds the real Databento client by default (no connection until batches are read)', async () => {
    const src = await createSource('databento', {
      databento: { apiKey: 'db-0123456789abcdefghijklmnopqrs', schemas: ['trades'] },
    });
    expect(src.kind).toBe('databento');
    await src.close();
    await expect(createSource('databento')).rejects.toThrow(/needs its config/);
  });

  it('rejects a bad spec before building anything', async () => {
    await expect(createSource('sim:x')).rejects.toThrow(SourceSpecError);
  });
});
