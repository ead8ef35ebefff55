// What the settings forms may submit (zod, parsed in the server actions): quiet hours as a pair of
// HH:MM times (or none), an IANA timezone, the channels map in the shape profiles_channels_shape
// checks (public.is_channel_map), the minimum score, and the phone number and code of the
// verification.
import { ALERT_TYPES } from '@tradeassist/core/alert';
import { z } from 'zod';

export const CHANNELS = ['sms', 'push', 'web'] as const;
export type Channel = (typeof CHANNELS)[number];
/** The keys a channels map may have: every alert type, 'trade' (a trade's crosses and follow-ups), 'default'. */
export const CHANNEL_KEYS = ['default', 'trade', ...ALERT_TYPES] as const;
export type ChannelKey = (typeof CHANNEL_KEYS)[number];
export type ChannelMap = Partial<Record<ChannelKey, Channel[]>>;

const channelList = z
  .array(z.enum(CHANNELS))
  .max(3)
  .refine((l) => new Set(l).size === l.length, 'a channel is listed twice')
  .transform((l) => CHANNELS.filter((c) => l.includes(c)));

export const channelMapSchema = z
  .partialRecord(z.enum(CHANNEL_KEYS), channelList)
  .refine((m) => m.default !== undefined, 'the default channels are required');

const time = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null),
  z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d(:00)?$/, 'expected a time such as 22:00')
    .transform((s) => s.slice(0, 5))
    .nullable(),
);

/** Names this runtime knows (Intl), which is what Postgres' pg_timezone_names knows as well. */
export function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return /^[A-Za-z][A-Za-z0-9_+\-/]{1,63}$/.test(tz);
  } catch {
    return false;
  }
}

export const alertSettingsSchema = z
  .object({
    timezone: z.string().refine(isTimezone, 'not a timezone this server knows'),
    quiet_start: time,
    quiet_end: time,
    sound: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
    min_score: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim() : v),
      z
        .string()
        .regex(/^(0(\.\d{1,2})?|1(\.0{1,2})?)$/, 'a score from 0 to 1, such as 0.6')
        .transform(Number),
    ),
    channels: z.preprocess((v) => {
      if (typeof v !== 'string') return v;
      try {
        return JSON.parse(v);
      } catch {
        return null;
      }
    }, channelMapSchema),
  })
  .superRefine((s, ctx) => {
    if ((s.quiet_start === null) !== (s.quiet_end === null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['quiet_end'],
        message: 'set both ends of the quiet hours, or neither',
      });
    } else if (s.quiet_start !== null && s.quiet_start === s.quiet_end) {
      ctx.addIssue({
        code: 'custom',
        path: ['quiet_end'],
        message: 'quiet hours start and end at the same time',
      });
    }
  });
export type AlertSettings = z.infer<typeof alertSettingsSchema>;

/** E.164: "+" then up to 15 digits, no leading zero; spaces, dashes, dots and brackets are dropped. */
export const phoneSchema = z.preprocess(
  (v) => (typeof v === 'string' ? v.replace(/[\s().-]/g, '') : v),
  z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an international number such as +14155550123'),
);

export const codeSchema = z.preprocess(
  (v) => (typeof v === 'string' ? v.replace(/\s/g, '') : v),
  z.string().regex(/^\d{6}$/, 'the code has 6 digits'),
);
