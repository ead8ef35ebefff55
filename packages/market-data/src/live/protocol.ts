// The text phase of Databento's live subscription gateway (LSG) protocol. Databento's official live
// clients exist for Python, Rust and C++ only; this TypeScript client is written from the published
// raw API and those clients' sources (databento-rs `src/live/protocol.rs`, databento-python
// `databento/live/gateway.py`, databento-cpp `live_blocking.cpp`). Every line is `k=v|k=v\n`:
//   gateway: `lsg_version=X`          then `cram=CHALLENGE`
//   client:  `auth=SHA256HEX(CHALLENGE|KEY)-BUCKET|dataset=..|encoding=dbn|ts_out=0|compression=none|
//             heartbeat_interval_s=N|client=..` (field order as databento-python's dataclass)
//   gateway: `success=1|session_id=ID|` or `success=0|error=MESSAGE`
//   client:  `schema=..|stype_in=..|symbols=A,B|start=NS|snapshot=0|id=N|is_last=0|1` (≤500 symbols/line)
//   client:  `start_session` — after which the gateway streams DBN (metadata, then records).
import { createHash } from 'node:crypto';
import { LiveError } from './live-error.ts';

export const DEFAULT_PORT = 13000;
/** The official clients send at most this many symbols per subscription line. */
export const SYMBOL_CHUNK = 500;
export const ALL_SYMBOLS = 'ALL_SYMBOLS';
/** Bucket id = the key's last 5 characters: the only part of a key that may ever be logged. */
export const BUCKET_ID_LENGTH = 5;
/** A control line longer than this is not the LSG speaking. */
export const MAX_LINE = 64 * 1024;

export const SCHEMAS = [
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
  'ohlcv-eod',
  'definition',
  'statistics',
  'status',
  'imbalance',
  'cmbp-1',
  'cbbo-1s',
  'cbbo-1m',
  'tcbbo',
] as const;
export type LiveSchema = (typeof SCHEMAS)[number];
export const STYPES = ['raw_symbol', 'instrument_id', 'parent', 'continuous', 'smart'] as const;
export type LiveSType = (typeof STYPES)[number];

export interface GatewayAddress {
  host: string;
  port: number;
}

/** `<dataset with '.' -> '-', lower-cased>.lsg.databento.com:13000`, unless `override` (host:port) is given. */
export function gatewayAddress(dataset: string, override?: string): GatewayAddress {
  if (override !== undefined && override !== '') {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(override);
    const port = m ? Number(m[3]) : 0;
    if (!m || port < 1 || port > 65535) {
      throw new LiveError('bad_config', `gateway override must be host:port, got "${override}"`, {
        override,
      });
    }
    return { host: (m[1] ?? m[2])!, port };
  }
  if (!/^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$/.test(dataset)) {
    throw new LiveError('bad_config', `invalid dataset "${dataset}"`, { dataset });
  }
  return { host: `${dataset.replaceAll('.', '-').toLowerCase()}.lsg.databento.com`, port: DEFAULT_PORT };
}

export function bucketId(apiKey: string): string {
  return apiKey.slice(-BUCKET_ID_LENGTH);
}

/** The CRAM reply: sha256 hex of `challenge|key`, then `-` and the key's bucket id. */
export function authReply(challenge: string, apiKey: string): string {
  const hash = createHash('sha256').update(`${challenge}|${apiKey}`, 'utf8').digest('hex');
  return `${hash}-${bucketId(apiKey)}`;
}

/** Parses `k=v|k=v` (a trailing `|` and empty segments are allowed, as the LSG sends them). */
export function parseControlLine(line: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of line.split('|')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new LiveError('protocol', `malformed gateway line: ${JSON.stringify(line)}`, { line });
    out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

export function parseGreeting(line: string): string {
  const kv = parseControlLine(line);
  const v = kv.get('lsg_version');
  if (v === undefined)
    throw new LiveError('protocol', `expected lsg_version greeting, got ${JSON.stringify(line)}`);
  return v;
}

export function parseChallenge(line: string): string {
  if (!line.startsWith('cram=') || line.length <= 5 || /[|\s]/.test(line.slice(5))) {
    throw new LiveError('protocol', `expected cram=CHALLENGE, got ${JSON.stringify(line)}`);
  }
  return line.slice(5);
}

/** Returns the session id, or throws `auth_failed` (terminal) with the gateway's own message. */
export function parseAuthResponse(line: string): string {
  const kv = parseControlLine(line);
  const success = kv.get('success');
  if (success === '1') return kv.get('session_id') ?? '';
  if (success === '0') {
    const error = kv.get('error') ?? 'no reason given';
    throw new LiveError('auth_failed', `Databento authentication failed: ${error}`, { error });
  }
  throw new LiveError('protocol', `expected success=0|1 in auth response, got ${JSON.stringify(line)}`, {
    line,
  });
}

export interface AuthRequestOptions {
  apiKey: string;
  dataset: string;
  heartbeatIntervalS?: number;
  client: string;
}

export function authRequestLine(challenge: string, o: AuthRequestOptions): string {
  const fields = [
    `auth=${authReply(challenge, o.apiKey)}`,
    `dataset=${o.dataset}`,
    'encoding=dbn',
    'ts_out=0',
    'compression=none',
  ];
  if (o.heartbeatIntervalS !== undefined) fields.push(`heartbeat_interval_s=${o.heartbeatIntervalS}`);
  fields.push(`client=${o.client}`);
  return `${fields.join('|')}\n`;
}

export interface Subscription {
  schema: LiveSchema;
  symbols: readonly string[] | typeof ALL_SYMBOLS;
  stypeIn?: LiveSType;
  /** Intraday replay from this time: UTC nanoseconds (decimal string or bigint) or ISO 8601. */
  start?: string | bigint;
}

const NS_RE = /^\d{1,20}$/;
const ISO_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Normalizes a replay start to UTC nanoseconds (decimal string). */
export function startToNs(start: string | bigint): string {
  if (typeof start === 'bigint') {
    if (start < 0n) throw new LiveError('bad_config', `negative start ${start}`);
    return start.toString();
  }
  if (NS_RE.test(start)) return BigInt(start).toString();
  const m = ISO_RE.exec(start);
  const ms = m ? Date.parse(`${m[1]}${m[3]}`) : Number.NaN;
  if (!m || Number.isNaN(ms)) {
    throw new LiveError('bad_config', `start must be UTC nanoseconds or ISO 8601, got "${start}"`, { start });
  }
  const frac = BigInt((m[2] ?? '').padEnd(9, '0'));
  return (BigInt(ms) * 1_000_000n + frac).toString();
}

function checkSymbol(s: string): void {
  if (s === '' || s.length > 70 || /[|,=\s]/.test(s)) {
    throw new LiveError('bad_config', `invalid symbol ${JSON.stringify(s)}`, { symbol: s });
  }
}

/** One line per chunk of ≤500 symbols; the last line of the subscription carries `is_last=1`. */
export function subscriptionLines(sub: Subscription, id: number, startOverride?: string): string[] {
  if (!(SCHEMAS as readonly string[]).includes(sub.schema)) {
    throw new LiveError('bad_config', `unknown schema "${sub.schema}"`, { schema: sub.schema });
  }
  const stype = sub.stypeIn ?? 'raw_symbol';
  if (!(STYPES as readonly string[]).includes(stype)) {
    throw new LiveError('bad_config', `unknown stype_in "${stype}"`, { stypeIn: stype });
  }
  let chunks: string[];
  if (sub.symbols === ALL_SYMBOLS) {
    chunks = [ALL_SYMBOLS];
  } else {
    if (sub.symbols.length === 0)
      throw new LiveError('bad_config', `subscription to ${sub.schema} has no symbols`);
    sub.symbols.forEach(checkSymbol);
    chunks = [];
    for (let i = 0; i < sub.symbols.length; i += SYMBOL_CHUNK) {
      chunks.push(sub.symbols.slice(i, i + SYMBOL_CHUNK).join(','));
    }
  }
  const start = startOverride ?? (sub.start !== undefined ? startToNs(sub.start) : undefined);
  return chunks.map((symbols, i) => {
    const fields = [`schema=${sub.schema}`, `stype_in=${stype}`, `symbols=${symbols}`];
    if (start !== undefined) fields.push(`start=${start}`);
    fields.push('snapshot=0', `id=${id}`, `is_last=${i === chunks.length - 1 ? 1 : 0}`);
    return `${fields.join('|')}\n`;
  });
}

export const START_SESSION_LINE = 'start_session\n';
