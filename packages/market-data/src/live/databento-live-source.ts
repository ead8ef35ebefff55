// The `databento` MarketDataSource: one live session to Databento's gateway, kept alive across
// network faults. Each connection authenticates (CRAM), subscribes, starts the session and decodes
// the DBN stream in place; control records (symbol mappings, heartbeats, warnings, errors) are
// consumed here and never reach the engine. On a dead connection (error, EOF, no byte for longer
// than the heartbeat interval plus a grace) it reconnects with jittered exponential backoff and
// resubscribes from the last delivered ts_event, so the gap is replayed and the duplicates dropped.
// Bad credentials and invalid subscriptions are terminal: retrying would only hammer the gateway.
import { connect, type Socket } from 'node:net';
import { HD, type RecordBatch, RType } from '@tradeassist/core/dbn-layout';
import { DbnDecoder } from '../dbn/index.ts';
import type { MarketDataSource, SourceBatch, SourceEvent, SourceOptions } from '../source.ts';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
import {
  ERROR_CODES,
  readErrorMsg,
  readSystemMsg,
  SystemCode,
  symbolMappingTicker,
} from './control-records.ts';
import { LiveError } from './live-error.ts';
import {
  authRequestLine,
  bucketId,
  gatewayAddress,
  parseAuthResponse,
  parseChallenge,
  parseGreeting,
  START_SESSION_LINE,
  type Subscription,
  subscriptionLines,
} from './protocol.ts';
import { ReplayDedup } from './replay-dedup.ts';
import { SocketReader } from './socket-reader.ts';

export interface DatabentoLiveOptions extends SourceOptions {
  apiKey: string;
  dataset: string;
  subscriptions: readonly Subscription[];
  /** `host:port`, replacing the host derived from the dataset (tests, proxies). */
  gateway?: string;
  /** Asked of the gateway; it sends a heartbeat after this many idle seconds. Default 30. */
  heartbeatIntervalS?: number;
  /** Extra silence tolerated beyond the heartbeat interval before the connection counts as dead. */
  heartbeatGraceMs?: number;
  handshakeTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Consecutive failed reconnects before giving up. Default: never give up. */
  maxReconnectAttempts?: number;
  /** The `client=` field; identifies this client, not an official one. */
  client?: string;
  random?: () => number;
}

const DEFAULT_HEARTBEAT_S = 30;
const DEFAULT_GRACE_MS = 5_000;

interface Connection {
  socket: Socket;
  reader: SocketReader;
  sessionId: string;
}

const isControl = (rtype: number) =>
  rtype === RType.SYMBOL_MAPPING || rtype === RType.SYSTEM || rtype === RType.ERROR;

export class DatabentoLiveSource implements MarketDataSource {
  readonly kind = 'databento' as const;
  private readonly opts: DatabentoLiveOptions;
  private readonly address: { host: string; port: number };
  private readonly symbolMap = new Map<number, string>();
  private readonly dedup = new ReplayDedup();
  private readonly stop = new AbortController();
  private current: Connection | null = null;
  private iterating = false;
  private gapOpen = false;
  private gapFrom = '';

  constructor(opts: DatabentoLiveOptions) {
    if (opts.apiKey.length < 8 || /[|\s]/.test(opts.apiKey)) {
      // Never echo the key: its bucket id (last 5 characters) is all the protocol itself reveals.
      throw new LiveError('bad_config', `malformed Databento API key (…${bucketId(opts.apiKey)})`);
    }
    if (opts.subscriptions.length === 0) throw new LiveError('bad_config', 'no subscriptions');
    const hb = opts.heartbeatIntervalS;
    if (hb !== undefined && (!Number.isInteger(hb) || hb < 1)) {
      throw new LiveError('bad_config', `heartbeatIntervalS must be a positive integer, got ${hb}`);
    }
    this.address = gatewayAddress(opts.dataset, opts.gateway);
    // Validate every subscription up front: a bad one is a config error, not a reconnect loop.
    for (const [i, s] of opts.subscriptions.entries()) subscriptionLines(s, i + 1);
    this.opts = opts;
  }

  /** instrument_id -> ticker as currently mapped by the gateway. */
  symbols(): ReadonlyMap<number, string> {
    return this.symbolMap;
  }

  private emit(e: SourceEvent): void {
    this.opts.onEvent?.(e);
  }

  async close(): Promise<void> {
    this.stop.abort();
    const c = this.current;
    if (c && !c.socket.destroyed) {
      const closed = new Promise<void>((r) => c.socket.once('close', () => r()));
      c.socket.destroy();
      await closed;
    }
  }

  async *batches(signal?: AbortSignal): AsyncGenerator<SourceBatch> {
    if (this.iterating) throw new LiveError('bad_config', 'a live source can be iterated once');
    this.iterating = true;
    const onAbort = () => void this.close();
    signal?.addEventListener('abort', onAbort, { once: true });
    let attempt = 0;
    try {
      while (!this.stop.signal.aborted && !signal?.aborted) {
        let conn: Connection | null = null;
        try {
          conn = await this.connect();
          for await (const b of this.stream(conn)) {
            // Progress resets the backoff; mappings alone (resent on every connect) do not.
            if (b.records.count > 0) attempt = 0;
            yield b;
          }
          throw new LiveError('disconnected', 'gateway ended the session');
        } catch (e) {
          if (this.stop.signal.aborted || signal?.aborted) return;
          const err = asLiveError(e);
          if (err.terminal) {
            this.emit({ type: 'error', message: err.message, code: err.code });
            throw err;
          }
          this.emit({ type: 'disconnected', reason: `${err.code}: ${err.message}` });
        } finally {
          conn?.socket.destroy();
          if (this.current === conn) this.current = null;
        }
        attempt++;
        const max = this.opts.maxReconnectAttempts ?? Number.POSITIVE_INFINITY;
        if (attempt > max) {
          const err = new LiveError('connect_failed', `gave up after ${max} reconnect attempts`, {
            attempts: max,
          });
          this.emit({ type: 'error', message: err.message, code: err.code });
          throw err;
        }
        const delayMs = backoffDelay(attempt, this.opts.backoff ?? DEFAULT_BACKOFF, this.opts.random);
        this.emit({ type: 'reconnecting', attempt, delayMs });
        await sleep(delayMs, this.stop.signal);
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await this.close();
    }
  }

  /** TCP connect, CRAM authentication, subscriptions (replaying from the boundary), start_session. */
  private async connect(): Promise<Connection> {
    const { host, port } = this.address;
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    const reader = new SocketReader(socket);
    const conn: Connection = { socket, reader, sessionId: '' };
    this.current = conn;
    const heartbeatS = this.opts.heartbeatIntervalS ?? DEFAULT_HEARTBEAT_S;
    let phase = 'handshake';
    socket.setTimeout(this.opts.handshakeTimeoutMs ?? 10_000);
    socket.on('timeout', () => {
      const ms = socket.timeout ?? 0;
      if (phase === 'stream' && reader.backpressured) {
        // Silence because we stopped reading (slow consumer), not because the gateway died: re-arm.
        socket.setTimeout(ms);
        return;
      }
      reader.fail(
        phase === 'handshake'
          ? new LiveError(
              'connect_failed',
              `no answer from ${host}:${port} for ${ms} ms during the handshake`,
            )
          : new LiveError('heartbeat_timeout', `no data from the gateway for ${ms} ms`, { ms }),
      );
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('close', () => {
        const why = reader.error?.message ?? 'connection closed';
        reject(new LiveError('connect_failed', `cannot connect to ${host}:${port}: ${why}`, { host, port }));
      });
    });
    parseGreeting(await reader.readLine('greeting'));
    const challenge = parseChallenge(await reader.readLine('CRAM challenge'));
    socket.write(
      authRequestLine(challenge, {
        apiKey: this.opts.apiKey,
        dataset: this.opts.dataset,
        heartbeatIntervalS: heartbeatS,
        client: this.opts.client ?? `TradeAssist/0.1 Node.js/${process.versions.node}`,
      }),
    );
    conn.sessionId = parseAuthResponse(await reader.readLine('authentication response'));
    const replayFrom = this.dedup.hasBoundary ? this.dedup.boundaryNs() : undefined;
    const lines = this.opts.subscriptions.flatMap((s, i) => subscriptionLines(s, i + 1, replayFrom));
    socket.write(lines.join('') + START_SESSION_LINE);
    phase = 'stream';
    socket.setTimeout(heartbeatS * 1000 + (this.opts.heartbeatGraceMs ?? DEFAULT_GRACE_MS));
    this.emit({ type: 'connected', detail: `session ${conn.sessionId} on ${host}:${port}` });
    if (replayFrom !== undefined) {
      this.dedup.beginReplay();
      this.gapOpen = true;
      this.gapFrom = replayFrom;
      this.emit({ type: 'gap', fromTsEvent: replayFrom, recovered: false });
    }
    return conn;
  }

  private closeGap(): void {
    if (!this.gapOpen) return;
    this.gapOpen = false;
    this.dedup.replaying = false;
    this.emit({
      type: 'gap',
      fromTsEvent: this.gapFrom,
      recovered: true,
      duplicatesDropped: this.dedup.dropped,
    });
  }

  /** Decodes one connection's DBN stream into batches of data records plus the mappings they need. */
  private async *stream(conn: Connection): AsyncGenerator<SourceBatch> {
    const decoder = new DbnDecoder({ metadata: true });
    const dedup = this.dedup;
    let out = new Int32Array(1024);
    let symbols: Array<[number, string]> = [];
    let checkedMetadata = false;
    for (;;) {
      const chunk = await conn.reader.read();
      if (chunk === null) return;
      let rb: RecordBatch;
      try {
        rb = decoder.push(chunk);
      } catch (e) {
        throw new LiveError('bad_record', `undecodable DBN from the gateway: ${(e as Error).message}`);
      }
      if (!checkedMetadata && decoder.metadata) {
        checkedMetadata = true;
        const m = decoder.metadata;
        if (m.dataset !== this.opts.dataset || m.tsOut) {
          throw new LiveError(
            'protocol',
            `gateway streams ${m.dataset} (ts_out=${m.tsOut}), asked ${this.opts.dataset}`,
          );
        }
      }
      const { bytes, view, offsets, count, version } = rb;
      if (out.length < count) out = new Int32Array(Math.max(count, out.length * 2));
      let n = 0;
      for (let i = 0; i < count; i++) {
        const off = offsets[i]!;
        const rtype = bytes[off + HD.RTYPE]!;
        if (isControl(rtype)) {
          if (rtype === RType.SYMBOL_MAPPING) {
            const id = view.getUint32(off + HD.INSTRUMENT_ID, true);
            const ticker = symbolMappingTicker(bytes, view, off, version);
            const prev = this.symbolMap.get(id);
            if (prev === ticker) continue;
            if (prev !== undefined && n > 0) {
              // A remap applies from here on: hand over the records that used the old name first.
              dedup.afterBatch(bytes, view, out, n);
              yield { records: { bytes, view, offsets: out, count: n, version }, symbols };
              symbols = [];
              n = 0;
            }
            this.symbolMap.set(id, ticker);
            symbols.push([id, ticker]);
          } else if (rtype === RType.SYSTEM) {
            this.onSystem(bytes, view, off, version);
          } else {
            this.onError(bytes, view, off, version);
          }
          continue;
        }
        if (dedup.replaying) {
          if (dedup.isDuplicate(bytes, view, off)) continue;
          if (!dedup.replaying) this.closeGap();
        }
        out[n++] = off;
      }
      if (n > 0 || symbols.length > 0) {
        dedup.afterBatch(bytes, view, out, n);
        yield { records: { bytes, view, offsets: out, count: n, version }, symbols };
        symbols = [];
      }
    }
  }

  private onSystem(bytes: Uint8Array, view: DataView, off: number, version: number): void {
    const m = readSystemMsg(bytes, view, off, version);
    if (m.code === SystemCode.HEARTBEAT || m.code === SystemCode.SUBSCRIPTION_ACK) return;
    if (m.code === SystemCode.REPLAY_COMPLETED) {
      this.closeGap();
      return;
    }
    if (m.code === SystemCode.SLOW_READER_WARNING || /slow/i.test(m.msg)) {
      this.emit({ type: 'warning', message: `gateway: slow reader: ${m.msg}` });
      return;
    }
    if (m.code !== SystemCode.END_OF_INTERVAL) this.emit({ type: 'warning', message: `gateway: ${m.msg}` });
  }

  private onError(bytes: Uint8Array, view: DataView, off: number, version: number): void {
    const e = readErrorMsg(bytes, view, off, version);
    const code = ERROR_CODES[e.code] ?? 'gateway_error';
    const err = new LiveError(code, `gateway error: ${e.err}`, { gatewayCode: e.code });
    if (err.terminal) throw err;
    this.emit({ type: 'error', message: err.message, code });
  }
}

function asLiveError(e: unknown): LiveError {
  if (e instanceof LiveError) return e;
  const err = e as NodeJS.ErrnoException;
  return new LiveError('disconnected', err?.message ?? String(e), err?.code ? { errno: err.code } : {});
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
