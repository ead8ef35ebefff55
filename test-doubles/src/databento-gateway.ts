// A stand-in for Databento's live subscription gateway (LSG), the server side of the published raw
// protocol, on 127.0.0.1:<ephemeral>. It greets, challenges (CRAM), checks the client's reply
// against its keys exactly as the real gateway does (sha256 of `challenge|key`, then `-` bucket id),
// parses subscriptions (chunked symbol lists, ALL_SYMBOLS, `start` for intraday replay), and on
// `start_session` streams DBN: metadata, symbol-resolution errors, subscription acks, symbol
// mappings, then the scripted records for the subscribed instruments, then heartbeats while idle.
// Faults are scripted per connection: drop after N bytes (mid-record), stall (no heartbeats),
// reject the credentials, a slow-reader warning.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import {
  ERROR_MSG_SIZE,
  ErrorCode,
  encodeWireMetadata,
  SchemaId,
  STypeId,
  SYMBOL_MAPPING_SIZE,
  SYSTEM_MSG_SIZE,
  SystemCode,
  writeErrorMsg,
  writeSymbolMapping,
  writeSystemMsg,
} from './dbn-wire.ts';
import { lowerBound, type ScriptedFeed } from './scripted-feed.ts';

export interface ConnectionFault {
  /** Reply success=0 to the authentication request. */
  rejectAuth?: boolean;
  /** Close the connection once this many DBN bytes were sent (metadata included): lands mid-record. */
  dropAfterBytes?: number;
  /** Stop sending anything (records and heartbeats) after this many DBN bytes; keep the socket open. */
  stallAfterBytes?: number;
  /** Send this ErrorMsg right after the metadata, then close the connection. */
  gatewayError?: { code: number; message: string };
  /** Send a slow-reader warning (SystemMsg code 2) before record number N of this connection. */
  slowReaderWarningAfter?: number;
}

export interface GatewayOptions {
  feed: ScriptedFeed;
  /** API keys the gateway accepts. */
  apiKeys: readonly string[];
  dataset?: string;
  version?: 2 | 3;
  /** Fault for connection k (0-based, in accept order). */
  faults?: ReadonlyArray<ConnectionFault | undefined>;
  /** Bytes per socket write while streaming. */
  chunkBytes?: number;
}

export interface ParsedSubscription {
  schema: string;
  stypeIn: string;
  symbols: string[];
  start: string | undefined;
  snapshot: string;
  id: string | undefined;
  isLast: string;
}

export interface ConnectionLog {
  authLine: string;
  authOk: boolean;
  heartbeatIntervalS: number | undefined;
  subscriptionLines: string[];
  subscriptions: ParsedSubscription[];
  started: boolean;
  /** Index of the first scripted record this connection served. */
  firstIndex: number;
  recordsSent: number;
  bytesSent: number;
  heartbeatsSent: number;
}

const SCHEMAS = new Set([
  'mbo',
  'mbp-1',
  'mbp-10',
  'tbbo',
  'trades',
  'bbo-1s',
  'bbo-1m',
  'ohlcv-1s',
  'ohlcv-1m',
  'ohlcv-1h',
  'ohlcv-1d',
  'definition',
  'statistics',
  'status',
  'imbalance',
]);
const STYPES = new Set(['raw_symbol', 'instrument_id', 'parent', 'continuous', 'smart']);

function kv(line: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of line.split('|')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    m.set(eq < 0 ? part : part.slice(0, eq), eq < 0 ? '' : part.slice(eq + 1));
  }
  return m;
}

export class DatabentoGatewayDouble {
  readonly connections: ConnectionLog[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly dataset: string;
  private readonly version: 2 | 3;
  private sessionSeq = 1000;
  port = 0;

  private constructor(private readonly opts: GatewayOptions) {
    this.dataset = opts.dataset ?? 'EQUS.MINI';
    this.version = opts.version ?? 3;
    this.server = createServer((s) => this.accept(s));
  }

  static async start(opts: GatewayOptions): Promise<DatabentoGatewayDouble> {
    const g = new DatabentoGatewayDouble(opts);
    await new Promise<void>((resolve, reject) => {
      g.server.once('error', reject);
      g.server.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = g.server.address();
    if (addr === null || typeof addr === 'string') throw new Error('gateway double: no TCP address');
    g.port = addr.port;
    return g;
  }

  /** Client connections still open. */
  get openSockets(): number {
    return this.sockets.size;
  }

  /** `host:port`, as DATABENTO_GATEWAY takes it. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const index = this.connections.length;
    const log: ConnectionLog = {
      authLine: '',
      authOk: false,
      heartbeatIntervalS: undefined,
      subscriptionLines: [],
      subscriptions: [],
      started: false,
      firstIndex: -1,
      recordsSent: 0,
      bytesSent: 0,
      heartbeatsSent: 0,
    };
    this.connections.push(log);
    const fault = this.opts.faults?.[index] ?? {};
    const challenge = randomBytes(24).toString('base64url');
    socket.write(`lsg_version=0.0.0-double\ncram=${challenge}\n`);
    let buf = '';
    let phase: 'auth' | 'subscribe' | 'streaming' = 'auth';
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => {
      buf += data;
      for (let nl = buf.indexOf('\n'); nl >= 0 && !socket.destroyed; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (phase === 'auth') {
          log.authLine = line;
          if (fault.rejectAuth || !this.checkAuth(line, challenge, log)) {
            socket.end('success=0|error=Authentication failed.\n');
            return;
          }
          log.authOk = true;
          socket.write(`success=1|session_id=${this.sessionSeq++}|\n`);
          phase = 'subscribe';
        } else if (phase === 'subscribe') {
          if (line === 'start_session' || line.startsWith('start_session=')) {
            phase = 'streaming';
            log.started = true;
            void this.stream(socket, log, fault);
          } else {
            log.subscriptionLines.push(line);
            log.subscriptions.push(this.parseSubscription(line));
          }
        }
      }
    });
  }

  private checkAuth(line: string, challenge: string, log: ConnectionLog): boolean {
    const f = kv(line);
    const auth = f.get('auth') ?? '';
    const bucket = auth.slice(auth.lastIndexOf('-') + 1);
    const ok = this.opts.apiKeys.some(
      (key) =>
        key.slice(-5) === bucket &&
        `${createHash('sha256').update(`${challenge}|${key}`).digest('hex')}-${bucket}` === auth,
    );
    const hb = f.get('heartbeat_interval_s');
    log.heartbeatIntervalS = hb === undefined ? undefined : Number(hb);
    return (
      ok &&
      f.get('dataset') === this.dataset &&
      f.get('encoding') === 'dbn' &&
      (f.get('compression') ?? 'none') === 'none' &&
      f.get('ts_out') === '0' &&
      (hb === undefined || /^\d+$/.test(hb)) &&
      f.has('client')
    );
  }

  private parseSubscription(line: string): ParsedSubscription {
    const f = kv(line);
    return {
      schema: f.get('schema') ?? '',
      stypeIn: f.get('stype_in') ?? '',
      symbols: (f.get('symbols') ?? '').split(',').filter((s) => s !== ''),
      start: f.get('start'),
      snapshot: f.get('snapshot') ?? '0',
      id: f.get('id'),
      isLast: f.get('is_last') ?? '1',
    };
  }

  private async stream(socket: Socket, log: ConnectionLog, fault: ConnectionFault): Promise<void> {
    const feed = this.opts.feed;
    const v = this.version;
    const head: Uint8Array[] = [];
    const invalid = log.subscriptions.find(
      (s) =>
        !SCHEMAS.has(s.schema) ||
        !STYPES.has(s.stypeIn) ||
        s.symbols.length === 0 ||
        (s.start !== undefined && !/^\d+$/.test(s.start)),
    );
    // Replay from the earliest `start` when every subscription asks for one.
    let start: bigint | undefined;
    if (log.subscriptions.length > 0 && log.subscriptions.every((s) => s.start !== undefined)) {
      for (const s of log.subscriptions) {
        const t = BigInt(s.start!);
        if (start === undefined || t < start) start = t;
      }
    }
    const schema =
      log.subscriptions.length === 1
        ? (SchemaId as Record<string, number>)[log.subscriptions[0]!.schema]
        : undefined;
    head.push(
      encodeWireMetadata({
        version: v,
        dataset: this.dataset,
        schema: schema ?? null,
        startNs: start ?? BigInt(Date.now()) * 1_000_000n,
        stypeIn: log.subscriptions.length === 1 ? STypeId.raw_symbol : null,
        stypeOut: STypeId.instrument_id,
      }),
    );
    const nowNs = () => BigInt(Date.now()) * 1_000_000n;
    const sys = (msg: string, code: number) => {
      const b = new Uint8Array(SYSTEM_MSG_SIZE);
      writeSystemMsg(new DataView(b.buffer), 0, nowNs(), msg, code);
      return b;
    };
    const err = (msg: string, code: number) => {
      const b = new Uint8Array(ERROR_MSG_SIZE);
      writeErrorMsg(new DataView(b.buffer), 0, nowNs(), msg, code);
      return b;
    };
    if (fault.gatewayError) {
      head.push(err(fault.gatewayError.message, fault.gatewayError.code));
      await this.send(socket, concat(head), log, fault);
      socket.end();
      return;
    }
    if (invalid) {
      head.push(
        err(
          `Invalid subscription request: ${log.subscriptionLines[log.subscriptions.indexOf(invalid)]}`,
          ErrorCode.INVALID_SUBSCRIPTION,
        ),
      );
      await this.send(socket, concat(head), log, fault);
      socket.end();
      return;
    }
    // Resolve symbols against the feed's instruments.
    const bySymbol = new Map(feed.instruments.map((i) => [i.symbol, i.id]));
    const wanted = new Set<number>();
    let all = false;
    const unresolved: string[] = [];
    for (const s of log.subscriptions) {
      for (const sym of s.symbols) {
        if (sym === 'ALL_SYMBOLS') all = true;
        else if (bySymbol.has(sym)) wanted.add(bySymbol.get(sym)!);
        else unresolved.push(sym);
      }
    }
    if (unresolved.length > 0) {
      head.push(
        err(
          `Failed to resolve symbol(s): ${unresolved.join(',')}`.slice(0, 300),
          ErrorCode.SYMBOL_RESOLUTION_FAILED,
        ),
      );
    }
    for (const s of log.subscriptions) {
      if (s.isLast === '1')
        head.push(
          sys(
            `Subscription request ${s.id ?? ''} for ${s.schema} data succeeded`,
            SystemCode.SUBSCRIPTION_ACK,
          ),
        );
    }
    let i = start === undefined ? 0 : lowerBound(feed, start);
    log.firstIndex = i;
    // Symbol mappings as of the first record served (earlier remaps already applied).
    const current = new Map(feed.instruments.map((x) => [x.id, x.symbol]));
    const remaps = [...feed.remaps].sort((a, b) => a.atIndex - b.atIndex);
    let r = 0;
    for (; r < remaps.length && remaps[r]!.atIndex <= i; r++) current.set(remaps[r]!.id, remaps[r]!.symbol);
    const tsMap = i < feed.count ? feed.tsEvent(i) : nowNs();
    for (const [id, symbol] of current) {
      if (!all && !wanted.has(id)) continue;
      const b = new Uint8Array(SYMBOL_MAPPING_SIZE);
      writeSymbolMapping(new DataView(b.buffer), 0, id, tsMap, symbol, symbol);
      head.push(b);
    }
    if (!(await this.send(socket, concat(head), log, fault))) return;

    const chunkBytes = this.opts.chunkBytes ?? 256 * 1024;
    const sent0 = i;
    while (i < feed.count && !socket.destroyed) {
      // Every byte up to `off` is written below, so the buffer need not be zeroed.
      const chunk: Uint8Array = Buffer.allocUnsafe(chunkBytes + SYMBOL_MAPPING_SIZE + SYSTEM_MSG_SIZE);
      const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      let off = 0;
      while (i < feed.count && off + feed.recordSize <= chunkBytes) {
        if (all && feed.writeRun && r >= remaps.length && fault.slowReaderWarningAfter === undefined) {
          // Fast path (benchmarks): a contiguous run of records, no per-record checks.
          const n = Math.min(feed.count - i, Math.floor((chunkBytes - off) / feed.recordSize));
          feed.writeRun(i, n, view, off);
          off += n * feed.recordSize;
          log.recordsSent += n;
          i += n;
          continue;
        }
        while (r < remaps.length && remaps[r]!.atIndex <= i) {
          const m = remaps[r++]!;
          if (all || wanted.has(m.id))
            off += writeSymbolMapping(view, off, m.id, feed.tsEvent(i), m.symbol, m.symbol);
        }
        if (fault.slowReaderWarningAfter !== undefined && i - sent0 === fault.slowReaderWarningAfter) {
          off += writeSystemMsg(
            view,
            off,
            feed.tsEvent(i),
            'Warning: slow reading detected',
            SystemCode.SLOW_READER_WARNING,
          );
        }
        if (all || wanted.has(feed.instrumentId(i))) {
          feed.write(i, view, off);
          off += feed.recordSize;
          log.recordsSent++;
        }
        i++;
      }
      if (!(await this.send(socket, chunk.subarray(0, off), log, fault))) return;
    }
    if (start !== undefined && !socket.destroyed) {
      await this.send(socket, sys('Finished replay', SystemCode.REPLAY_COMPLETED), log, fault);
    }
    this.heartbeats(socket, log, fault);
  }

  /** Writes with backpressure, applying the byte-count faults. False once the connection is gone. */
  private async send(
    socket: Socket,
    bytes: Uint8Array,
    log: ConnectionLog,
    fault: ConnectionFault,
  ): Promise<boolean> {
    if (socket.destroyed) return false;
    const limit = fault.dropAfterBytes ?? fault.stallAfterBytes;
    let out = bytes;
    let cut = false;
    if (limit !== undefined && log.bytesSent + bytes.length >= limit) {
      out = bytes.subarray(0, Math.max(0, limit - log.bytesSent));
      cut = true;
    }
    log.bytesSent += out.length;
    const full = out.length > 0 && !socket.write(out);
    if (cut) {
      if (fault.dropAfterBytes !== undefined) socket.end();
      return false; // stall: say nothing more, keep the socket open until the client gives up
    }
    if (full) {
      await new Promise<void>((resolve) => {
        const done = () => {
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        socket.on('drain', done);
        socket.on('close', done);
      });
    }
    return !socket.destroyed;
  }

  private heartbeats(socket: Socket, log: ConnectionLog, fault: ConnectionFault): void {
    if (socket.destroyed) return;
    const every = (log.heartbeatIntervalS ?? 30) * 1000;
    const t = setInterval(() => {
      if (socket.destroyed) {
        clearInterval(t);
        this.timers.delete(t);
        return;
      }
      const b = new Uint8Array(SYSTEM_MSG_SIZE);
      writeSystemMsg(
        new DataView(b.buffer),
        0,
        BigInt(Date.now()) * 1_000_000n,
        'Heartbeat',
        SystemCode.HEARTBEAT,
      );
      log.heartbeatsSent++;
      void this.send(socket, b, log, fault);
    }, every);
    t.unref();
    this.timers.add(t);
    socket.once('close', () => {
      clearInterval(t);
      this.timers.delete(t);
    });
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
