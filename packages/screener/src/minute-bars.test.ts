// Finished 1-minute bars reported by the engine (onBar): what the intraday bar store receives.
import { describe, expect, it } from 'vitest';
import { type MinuteBar, ScreenerEngine } from './engine.ts';
import { BatchBuilder, etNs } from './test-records.ts';

const D = '2023-11-21'; // a Tuesday, EST (UTC-5): 09:30 ET = 14:30 UTC
const utc = (iso: string) => Date.parse(iso) / 1000;
const RAW = 1e9;

function setup() {
  const bars: MinuteBar[] = [];
  const engine = new ScreenerEngine({ onBar: (b) => bars.push(b) });
  engine.mapSymbol(1, 'NVDA');
  engine.mapSymbol(2, 'AMD');
  return { engine, bars };
}

describe('minute bars', () => {
  it('reports a minute when the next print opens a later one, with OHLC, volume, VWAP sum and trades', () => {
    const { engine, bars } = setup();
    engine.processBatch(
      new BatchBuilder()
        .trade(1, etNs(D, '09:30:01'), '100.00', 100)
        .trade(1, etNs(D, '09:30:20'), '101.00', 300)
        .trade(1, etNs(D, '09:30:40'), '99.50', 100)
        .trade(1, etNs(D, '09:30:59'), '100.50', 500)
        .build(),
    );
    expect(bars).toEqual([]); // 09:30 is still open
    engine.processBatch(new BatchBuilder().trade(1, etNs(D, '09:33:05'), '102.00', 200).build());
    // volume 100 + 300 + 100 + 500 = 1,000; price x size = 10,000 + 30,300 + 9,950 + 50,250 = 100,500
    // -> VWAP 100.50; the quiet minutes 09:31 and 09:32 have no bar
    expect(bars).toEqual([
      {
        symbol: 'NVDA',
        ts: utc('2023-11-21T14:30:00Z'),
        open: 100 * RAW,
        high: 101 * RAW,
        low: 99.5 * RAW,
        close: 100.5 * RAW,
        volume: 1_000,
        pv: 100_500 * RAW,
        trades: 4,
      },
    ]);
  });

  it('keeps symbols apart, reports open minutes on flushBars without closing them', () => {
    const { engine, bars } = setup();
    engine.processBatch(
      new BatchBuilder()
        .trade(1, etNs(D, '07:00:10'), '50.00', 10)
        .trade(2, etNs(D, '07:00:30'), '20.00', 5)
        .trade(2, etNs(D, '07:01:00'), '20.10', 5) // closes AMD 07:00
        .build(),
    );
    expect(bars.map((b) => [b.symbol, b.ts, b.close, b.volume])).toEqual([
      ['AMD', utc('2023-11-21T12:00:00Z'), 20 * RAW, 5],
    ]);
    expect(engine.flushBars()).toBe(2);
    expect(bars.slice(1).map((b) => [b.symbol, b.ts, b.close, b.volume, b.trades])).toEqual([
      ['NVDA', utc('2023-11-21T12:00:00Z'), 50 * RAW, 10, 1],
      ['AMD', utc('2023-11-21T12:01:00Z'), 20.1 * RAW, 5, 1],
    ]);
    // the flushed minute goes on and is reported again, complete, when it closes
    engine.processBatch(
      new BatchBuilder()
        .trade(1, etNs(D, '07:00:50'), '51.00', 30)
        .trade(1, etNs(D, '07:02:00'), '52.00', 1)
        .build(),
    );
    expect(bars.at(-1)).toMatchObject({
      symbol: 'NVDA',
      ts: utc('2023-11-21T12:00:00Z'),
      high: 51 * RAW,
      volume: 40,
      trades: 2,
    });
  });

  it("closes a symbol's last minute of a day when its next day starts", () => {
    const { engine, bars } = setup();
    engine.processBatch(
      new BatchBuilder()
        .trade(1, etNs(D, '19:59:30'), '10.00', 100)
        .trade(1, etNs('2023-11-22', '04:00:05'), '10.20', 100)
        .build(),
    );
    // 19:59 ET on Nov 21 = 00:59 UTC on Nov 22
    expect(bars.map((b) => [b.ts, b.close])).toEqual([[utc('2023-11-22T00:59:00Z'), 10 * RAW]]);
  });

  it('has no bar for a minute of quotes only (a symbol without trades)', () => {
    const { engine, bars } = setup();
    engine.processBatch(
      new BatchBuilder()
        .mbp1(2, etNs(D, '10:00:00'), { action: 'A', price: null, size: 0, bid: '9.90', ask: '10.10' })
        .mbp1(2, etNs(D, '10:01:00'), { action: 'A', price: null, size: 0, bid: '9.95', ask: '10.15' })
        .build(),
    );
    expect(engine.flushBars()).toBe(0);
    expect(bars).toEqual([]);
  });
});
