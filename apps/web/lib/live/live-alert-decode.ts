// The browser's checked decoder for live alert payloads (SSE event data, Realtime broadcasts): the
// same rules as @tradeassist/db/live-alert's zod schema, written out by hand so the feed's bundle
// does not carry zod (~32 KB gzipped, a sixth of the page's JavaScript budget). The server keeps
// the zod schema; live-alert-decode.test.ts holds the two to the same verdicts.
import { ALERT_TYPES, DECIMAL_RE, NANOS_RE, SESSIONS, TICKER_RE } from '@tradeassist/core/alert-types';
import type { LiveAlert } from '@tradeassist/db/live-alert';

export type DecodedPayload =
  | { kind: 'alert'; alert: LiveAlert }
  | { kind: 'id'; id: string }
  | { kind: 'ids' }
  | { kind: 'invalid'; reason: string };

// zod's uuid(): RFC 9562 versions 1-8 with the RFC variant, plus the nil and max UUIDs.
const UUID_RE =
  /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
const ID_RANGES_RE = /^\d{1,19}(-\d{1,19})?(,\d{1,19}(-\d{1,19})?)*$/;
const TYPES = new Set<string>(ALERT_TYPES);
const SESSION_SET = new Set<string>(SESSIONS);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One payload: a JSON string or an already parsed object. */
export function decodeAlertPayload(payload: unknown): DecodedPayload {
  let value = payload;
  if (typeof payload === 'string') {
    try {
      value = JSON.parse(payload);
    } catch (e) {
      return { kind: 'invalid', reason: `payload is not JSON: ${(e as Error).message}` };
    }
  }
  if (!isObject(value)) return { kind: 'invalid', reason: '(root): expected an object' };
  const keys = Object.keys(value);
  if (keys.length === 1 && typeof value.ids === 'string' && ID_RANGES_RE.test(value.ids))
    return { kind: 'ids' };
  if (keys.length === 1 && typeof value.id === 'string' && NANOS_RE.test(value.id))
    return { kind: 'id', id: value.id };
  return decodeLiveAlert(value);
}

function decodeLiveAlert(v: Record<string, unknown>): DecodedPayload {
  const issues: string[] = [];
  const str = (key: string, ok: (s: string) => boolean, what: string): string => {
    const x = v[key];
    if (typeof x !== 'string' || !ok(x)) issues.push(`${key}: expected ${what}`);
    return x as string;
  };
  const id = str('id', (s) => NANOS_RE.test(s), 'a bigint id as a decimal string');
  const symbol = str('symbol', (s) => TICKER_RE.test(s), 'an upper-case ticker');
  const type = str('type', (s) => TYPES.has(s), 'an alert type');
  const tsEvent = str('ts_event', (s) => NANOS_RE.test(s), 'UTC nanoseconds as a decimal string');
  const price = str('price', (s) => DECIMAL_RE.test(s), 'a decimal string');
  const session = str('session', (s) => SESSION_SET.has(s), 'pre, regular or post');
  const dedupeKey = str('dedupe_key', (s) => s.length >= 1 && s.length <= 200, '1 to 200 characters');
  const createdAt = str('created_at', (s) => s.length >= 1, 'a timestamp');
  const score = v.score;
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 1)
    issues.push('score: expected a number from 0 to 1');
  if (!isObject(v.details)) issues.push('details: expected an object');
  const userId = v.user_id;
  if (userId !== null && (typeof userId !== 'string' || !UUID_RE.test(userId)))
    issues.push('user_id: expected a UUID or null');
  const ruleId = v.rule_id;
  if (ruleId !== null && ruleId !== undefined && (typeof ruleId !== 'string' || !UUID_RE.test(ruleId)))
    issues.push('rule_id: expected a UUID or null');
  if (issues.length > 0) return { kind: 'invalid', reason: issues.join('; ') };
  return {
    kind: 'alert',
    alert: {
      id,
      symbol,
      type: type as LiveAlert['type'],
      ts_event: tsEvent,
      price: trimDecimal(price),
      session: session as LiveAlert['session'],
      score: score as number,
      details: v.details as Record<string, unknown>,
      dedupe_key: dedupeKey,
      user_id: userId as string | null,
      rule_id: (ruleId as string | null | undefined) ?? null,
      created_at: createdAt,
    },
  };
}

/** `482.150000000` -> `482.15`: one spelling whichever path the alert came by. */
export function trimDecimal(s: string): string {
  if (!s.includes('.')) return s;
  const t = s.replace(/0+$/, '');
  return t.endsWith('.') ? t.slice(0, -1) : t;
}

/** Ids are bigints in decimal: compare without losing precision past 2^53. */
export function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
