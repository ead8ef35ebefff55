// The live client against the gateway double (test-doubles/src/databento-gateway.ts), over real TCP
// on loopback. Databento itself is not reachable from tests; the double speaks the published protocol.
import { TRADE } from '@tradeassist/core/dbn-layout';
import { type ConnectionFault, DatabentoGatewayDouble } from '@tradeassist/test-doubles/databento-gateway';
import { type Instrument, type ScriptedFeed, tradeFeed } from '@tradeassist/test-doubles/scripted-feed';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SourceEvent } from '../source.ts';
import { type DatabentoLiveOptions, DatabentoLiveSource } from './databento-live-source.ts';
import { LiveError } from './live-error.ts';

const KEY = 'db-unittestapikey1234567890FFFFF';
const INSTRUMENTS: Instrument[] = [
  { id: 11, symbol: 'AAPL' },
  { id: 12, symbol: 'MSFT' },
  { id: 13, symbol: 'NVDA' },
];

let gateway: DatabentoGatewayDouble | null = null;
afterEach(async () => {
  await gateway?.close();
  gateway = null;
});

async function startGateway(
  feed: ScriptedFeed,
  faults: Array<ConnectionFault | undefined> = [],
  chunkBytes = 4096,
  version: 2 | 3 = 3,
) {
  gateway = await DatabentoGatewayDouble.start({ feed, apiKeys: [KEY], faults, chunkBytes, version });
  return gateway;
}

function source(g: DatabentoGatewayDouble, events: SourceEvent[], o: Partial<DatabentoLiveOptions> = {}) {
  return new DatabentoLiveSource({
    apiKey: KEY,
    dataset: 'EQUS.MINI',
    gateway: g.address,
    subscriptions: [{ schema: 'trades', symbols: ['AAPL', 'MSFT', 'NVDA'] }],
    heartbeatIntervalS: 5,
    backoff: { baseMs: 5, maxMs: 50 },
    onEvent: (e) => events.push(e),
    ...o,
  });
}

interface Received {
  /** `sequence` of every record, in delivery order (the feed sets sequence = script index). */
  seqs: number[];
  /** ticker of each record's instrument as mapped when the record was delivered */
  tickers: string[];
}

async function collect(src: DatabentoLiveSource, expected: number): Promise<Received> {
  const got: Received = { seqs: [], tickers: [] };
  const map = new Map<number, string>();
  for await (const b of src.batches()) {
    for (const [id, t] of b.symbols) map.set(id, t);
    const { view, offsets, count } = b.records;
    for (let i = 0; i < count; i++) {
      const off = offsets[i]!;
      got.seqs.push(view.getUint32(off + TRADE.SEQUENCE, true));
      got.tickers.push(map.get(view.getUint32(off + 4, true)) ?? '?');
    }
    if (got.seqs.length >= expected) break;
  }
  await src.close();
  return got;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('Databento live client on the gateway double', () => {
  it('authenticates, subscribes, and delivers every record with its ticker', async () => {
    const g = await startGateway(tradeFeed({ instruments: INSTRUMENTS, count: 600 }));
    const events: SourceEvent[] = [];
    const got = await collect(source(g, events), 600);
    expect(got.seqs).toEqual(range(0, 600));
    // record i belongs to INSTRUMENTS[i % 3]
    expect(got.tickers.slice(0, 4)).toEqual(['AAPL', 'MSFT', 'NVDA', 'AAPL']);
    const c = g.connections[0]!;
    expect(c.authOk).toBe(true);
    expect(c.authLine).toMatch(
      /^auth=[0-9a-f]{64}-FFFFF\|dataset=EQUS\.MINI\|encoding=dbn\|ts_out=0\|compression=none\|heartbeat_interval_s=5\|client=TradeAssist\//,
    );
    expect(c.subscriptionLines).toEqual([
      'schema=trades|stype_in=raw_symbol|symbols=AAPL,MSFT,NVDA|snapshot=0|id=1|is_last=1',
    ]);
    expect(events[0]).toMatchObject({ type: 'connected' });
    expect(events.filter((e) => e.type !== 'connected')).toEqual([]);
  });

  it('reads a DBN v2 session the same way', async () => {
    const g = await startGateway(tradeFeed({ instruments: INSTRUMENTS, count: 90 }), [], 1000, 2);
    const got = await collect(source(g, []), 90);
    expect(got.seqs).toEqual(range(0, 90));
    expect(got.tickers.slice(0, 3)).toEqual(['AAPL', 'MSFT', 'NVDA']);
  });

  it('fails terminally on bad credentials, without a retry loop and without leaking the key', async () => {
    const g = await startGateway(tradeFeed({ instruments: INSTRUMENTS, count: 10 }));
    const events: SourceEvent[] = [];
    const badKey = 'db-wrongkeywrongkeywrongkey0FFFFF';
    const src = source(g, events, { apiKey: badKey });
    const err = await collect(src, 1).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LiveError);
    expect((err as LiveError).code).toBe('auth_failed');
    expect((err as LiveError).message).toContain('Authentication failed');
    expect((err as LiveError).message).not.toContain('wrongkey');
    expect(g.connections).toHaveLength(1);
    expect(events).toEqual([{ type: 'error', code: 'auth_failed', message: (err as LiveError).message }]);
  });

  it('sends 1,234 symbols as three subscription lines and reports the unresolvable ones', async () => {
    const g = await startGateway(tradeFeed({ instruments: INSTRUMENTS, count: 30 }));
    const symbols = ['AAPL', 'MSFT', 'NVDA', ...Array.from({ length: 1231 }, (_, i) => `ZZ${i}`)];
    const events: SourceEvent[] = [];
    const got = await collect(source(g, events, { subscriptions: [{ schema: 'trades', symbols }] }), 30);
    expect(got.seqs).toEqual(range(0, 30));
    const subs = g.connections[0]!.subscriptions;
    expect(subs.map((s) => s.symbols.length)).toEqual([500, 500, 234]);
    expect(subs.map((s) => s.isLast)).toEqual(['0', '0', '1']);
    expect(subs.flatMap((s) => s.symbols)).toEqual(symbols);
    const errors = events.filter((e) => e.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'symbol_resolution_failed' });
    expect((errors[0] as { message: string }).message).toContain('ZZ0');
  });

  it('recovers from a mid-record disconnect with no gap and no duplicate', async () => {
    // 3 records per ts_event, so the replay boundary has ties; 9,000 trades of 48 bytes.
    const feed = tradeFeed({ instruments: INSTRUMENTS, count: 9000, perTick: 3 });
    // Cut at byte 200,003: metadata 128 + subscription ack 320 + 3 mappings × 176 = 976 bytes, then
    // (200,003 − 976) / 48 = 4,146.4 trades: the connection drops 19 bytes into trade #4,146.
    const g = await startGateway(feed, [{ dropAfterBytes: 200_003 }]);
    const events: SourceEvent[] = [];
    const got = await collect(source(g, events), 9000);
    expect(got.seqs).toEqual(range(0, 9000));
    expect(g.connections).toHaveLength(2);
    const boundary = events.find((e) => e.type === 'gap' && !e.recovered) as Extract<
      SourceEvent,
      { type: 'gap' }
    >;
    expect(boundary).toBeDefined();
    // The resubscription asks the gateway to replay from the last delivered ts_event...
    expect(g.connections[1]!.subscriptions[0]!.start).toBe(boundary.fromTsEvent);
    const replayed = g.connections[1]!.firstIndex;
    expect(feed.tsEvent(replayed).toString()).toBe(boundary.fromTsEvent);
    // ...and the records the replay sent again were dropped, and counted.
    const recovered = events.find((e) => e.type === 'gap' && e.recovered) as Extract<
      SourceEvent,
      { type: 'gap' }
    >;
    // Trades 4,143-4,145 share ts_event T0 + 1,381 µs (4,145 / 3 = 1,381): all three were delivered
    // before the cut, and the replay from that ts_event sends them again.
    expect(feed.tsEvent(4145) - feed.tsEvent(4143)).toBe(0n);
    expect(replayed).toBe(4143);
    expect(recovered.duplicatesDropped).toBe(3);
    expect(events.map((e) => e.type)).toEqual([
      'connected',
      'disconnected',
      'reconnecting',
      'connected',
      'gap',
      'gap',
    ]);
  });

  it('treats heartbeat loss as a dead connection and resumes', async () => {
    const feed = tradeFeed({ instruments: INSTRUMENTS, count: 3000, perTick: 2 });
    const g = await startGateway(feed, [{ stallAfterBytes: 50_001 }]);
    const events: SourceEvent[] = [];
    const got = await collect(source(g, events, { heartbeatIntervalS: 1, heartbeatGraceMs: 100 }), 3000);
    expect(got.seqs).toEqual(range(0, 3000));
    const d = events.find((e) => e.type === 'disconnected') as Extract<SourceEvent, { type: 'disconnected' }>;
    expect(d.reason).toMatch(/^heartbeat_timeout/);
    expect(g.connections.length).toBeGreaterThanOrEqual(2);
  });

  it('stays connected while the gateway sends only heartbeats', async () => {
    const g = await startGateway(tradeFeed({ instruments: INSTRUMENTS, count: 5 }));
    const events: SourceEvent[] = [];
    const src = source(g, events, { heartbeatIntervalS: 1, heartbeatGraceMs: 1500 });
    const it = src.batches()[Symbol.asyncIterator]();
    await it.next();
    // The double sends a heartbeat each idle second; wait for two of them to be sent.
    await vi.waitFor(() => expect(g.connections[0]!.heartbeatsSent).toBeGreaterThanOrEqual(2), {
      timeout: 10_000,
      interval: 50,
    });
    await src.close();
    await it.return?.(undefined);
    expect(g.connections).toHaveLength(1);
    expect(events.filter((e) => e.type === 'disconnected')).toEqual([]);
  });

  it('surfaces slow-reader warnings and applies mid-session symbol changes in order', async () => {
    const feed = tradeFeed({
      instruments: INSTRUMENTS,
      count: 300,
      remaps: [{ atIndex: 150, id: 12, symbol: 'MSFT.NEW' }],
    });
    const g = await startGateway(feed, [{ slowReaderWarningAfter: 100 }]);
    const events: SourceEvent[] = [];
    const got = await collect(source(g, events), 300);
    expect(got.seqs).toEqual(range(0, 300));
    // instrument 12 is record i with i % 3 == 1: MSFT before record 150, MSFT.NEW from then on
    expect(got.tickers[148]).toBe('MSFT');
    expect(got.tickers[151]).toBe('MSFT.NEW');
    expect(events).toContainEqual({
      type: 'warning',
      message: 'gateway: slow reader: Warning: slow reading detected',
    });
  });

  it('replays the session from an intraday start', async () => {
    const feed = tradeFeed({ instruments: INSTRUMENTS, count: 400 });
    const g = await startGateway(feed);
    const start = feed.tsEvent(250);
    const got = await collect(
      source(g, [], { subscriptions: [{ schema: 'trades', symbols: 'ALL_SYMBOLS', start }] }),
      150,
    );
    expect(got.seqs).toEqual(range(250, 400));
    expect(g.connections[0]!.subscriptions[0]!.start).toBe(start.toString());
  });

  it('stops on a terminal gateway error and retries after a transient one', async () => {
    const feed = tradeFeed({ instruments: INSTRUMENTS, count: 20 });
    const g = await startGateway(feed, [
      { gatewayError: { code: 6, message: 'Internal error' } }, // InternalError: retried
      { gatewayError: { code: 5, message: 'Invalid subscription request' } }, // InvalidSubscription: terminal
    ]);
    const events: SourceEvent[] = [];
    const err = await collect(source(g, events), 20).then(
      () => null,
      (e: unknown) => e as LiveError,
    );
    expect(err?.code).toBe('invalid_subscription');
    expect(err?.terminal).toBe(true);
    expect(g.connections).toHaveLength(2);
    expect(events.filter((e) => e.type === 'error')).toEqual([
      { type: 'error', code: 'gateway_error', message: 'gateway error: Internal error' },
      { type: 'error', code: 'invalid_subscription', message: 'gateway error: Invalid subscription request' },
    ]);
  });

  it('retries an unreachable gateway with backoff, then gives up with a clear error', async () => {
    const g = await startGateway(tradeFeed({ instruments: INSTRUMENTS, count: 1 }));
    const address = g.address;
    await g.close(); // nothing listens on this port any more
    gateway = null;
    const events: SourceEvent[] = [];
    const src = new DatabentoLiveSource({
      apiKey: KEY,
      dataset: 'EQUS.MINI',
      gateway: address,
      subscriptions: [{ schema: 'trades', symbols: ['AAPL'] }],
      backoff: { baseMs: 5, maxMs: 20 },
      maxReconnectAttempts: 3,
      onEvent: (e) => events.push(e),
    });
    const err = await collect(src, 1).then(
      () => null,
      (e: unknown) => e as LiveError,
    );
    expect(err?.code).toBe('connect_failed');
    expect(
      events.filter((e) => e.type === 'reconnecting').map((e) => (e as { attempt: number }).attempt),
    ).toEqual([1, 2, 3]);
    expect((events.find((e) => e.type === 'disconnected') as { reason: string }).reason).toMatch(
      /ECONNREFUSED/,
    );
  });

  it('ends quietly and closes its connection when the caller aborts', async () => {
    const g = await startGateway(tradeFeed({ instruments: INSTRUMENTS, count: 50 }));
    const src = source(g, []);
    const ac = new AbortController();
    let n = 0;
    for await (const b of src.batches(ac.signal)) {
      n += b.records.count;
      if (n >= 50) ac.abort();
    }
    expect(n).toBe(50);
    await vi.waitFor(() => expect(g.openSockets).toBe(0), { timeout: 5_000, interval: 20 });
  });
});
