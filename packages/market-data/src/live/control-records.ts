// Reads the gateway's control records in place: symbol mappings, system messages (heartbeats,
// slow-reader warnings, subscription acks, replay completed) and errors. Layouts differ between DBN
// v1 (80-byte records, no codes) and v2/v3 (wider strings plus a code byte).
import { HD } from '@tradeassist/core/dbn-layout';
import { LiveError, type LiveErrorCode } from './live-error.ts';

export const SystemCode = {
  HEARTBEAT: 0,
  SUBSCRIPTION_ACK: 1,
  SLOW_READER_WARNING: 2,
  REPLAY_COMPLETED: 3,
  END_OF_INTERVAL: 4,
  UNSET: 255,
} as const;

/** ErrorMsg codes (DBN `ErrorCode`) mapped to the client's error codes. */
export const ERROR_CODES: Readonly<Record<number, LiveErrorCode>> = {
  1: 'auth_failed',
  2: 'api_key_deactivated',
  3: 'connection_limit_exceeded',
  4: 'symbol_resolution_failed',
  5: 'invalid_subscription',
  6: 'gateway_error',
};

const decoder = new TextDecoder('utf-8', { fatal: false });

function cstr(bytes: Uint8Array, off: number, len: number): string {
  let end = off;
  const stop = off + len;
  while (end < stop && bytes[end] !== 0) end++;
  return decoder.decode(bytes.subarray(off, end));
}

function need(view: DataView, off: number, size: number, what: string): void {
  const len = view.getUint8(off + HD.LENGTH) * 4;
  if (len < size) {
    throw new LiveError('bad_record', `${what} record of ${len} bytes, expected ${size}`, { offset: off });
  }
}

/** stype_out_symbol of a SymbolMappingMsg: the ticker the official clients map instrument_id to. */
export function symbolMappingTicker(bytes: Uint8Array, view: DataView, off: number, version: number): string {
  if (version === 1) {
    need(view, off, 80, 'SymbolMappingMsg v1');
    return cstr(bytes, off + 38, 22);
  }
  need(view, off, 176, 'SymbolMappingMsg');
  return cstr(bytes, off + 89, 71);
}

export interface SystemMessage {
  code: number;
  msg: string;
}

export function readSystemMsg(
  bytes: Uint8Array,
  view: DataView,
  off: number,
  version: number,
): SystemMessage {
  if (version === 1) {
    need(view, off, 80, 'SystemMsg v1');
    const msg = cstr(bytes, off + 16, 64);
    // v1 had no code: the gateway's heartbeat text is the only marker.
    return { code: msg === 'Heartbeat' ? SystemCode.HEARTBEAT : SystemCode.UNSET, msg };
  }
  need(view, off, 320, 'SystemMsg');
  return { code: view.getUint8(off + 319), msg: cstr(bytes, off + 16, 303) };
}

export interface ErrorMessage {
  code: number;
  err: string;
  isLast: boolean;
}

export function readErrorMsg(bytes: Uint8Array, view: DataView, off: number, version: number): ErrorMessage {
  if (version === 1) {
    need(view, off, 80, 'ErrorMsg v1');
    return { code: 255, err: cstr(bytes, off + 16, 64), isLast: true };
  }
  need(view, off, 320, 'ErrorMsg');
  return {
    code: view.getUint8(off + 318),
    err: cstr(bytes, off + 16, 302),
    isLast: view.getUint8(off + 319) === 1,
  };
}
