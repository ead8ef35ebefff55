// The alert: what the screener finds and everything downstream (database, dashboard, SMS) shows.
// The JSON shape is a public contract (CONTRACTS.md): prices are decimal strings, `ts_event` is the
// UTC nanosecond time of the record that fired it, as a decimal string.
import { z } from 'zod';
import { ALERT_TYPES, DECIMAL_RE, NANOS_RE, SESSIONS, TICKER_RE } from './alert-types.ts';

export { ALERT_TYPES, type AlertType, SESSIONS, type Session } from './alert-types.ts';

/** Upper-case ticker; share classes keep their dot (BRK.B). */
export const tickerSchema = z
  .string()
  .regex(TICKER_RE, 'expected an upper-case ticker such as AAPL or BRK.B');
/** A decimal number written as a string (exact, never a binary float). */
export const decimalStringSchema = z.string().regex(DECIMAL_RE, 'expected a decimal string');
/** UTC nanoseconds since the epoch, as a decimal string (too large for a JS number). */
export const nanosStringSchema = z.string().regex(NANOS_RE, 'expected UTC nanoseconds as a decimal string');

export const alertSchema = z.object({
  symbol: tickerSchema,
  type: z.enum(ALERT_TYPES),
  ts_event: nanosStringSchema,
  price: decimalStringSchema,
  session: z.enum(SESSIONS),
  score: z.number().min(0).max(1),
  details: z.record(z.string(), z.unknown()),
  dedupe_key: z.string().min(1).max(200),
  /** Owner of a rule alert; absent/null for market-wide alerts. */
  user_id: z.string().uuid().nullable().optional(),
  rule_id: z.string().uuid().nullable().optional(),
});
export type Alert = z.infer<typeof alertSchema>;

/** An alert as stored and served by `/api/alerts`. */
export const storedAlertSchema = alertSchema.extend({ id: z.string(), created_at: z.string() });
export type StoredAlert = z.infer<typeof storedAlertSchema>;
