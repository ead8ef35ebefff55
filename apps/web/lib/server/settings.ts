// The trader's settings (profiles row): reading them for /settings, and saving the alert settings
// as the trader's own database role, so the column grants apply (phone, phone_verified and the SMS
// opt-in are not among them: verification sets those, see settings-phone.ts).
import { asUser } from './auth-db.ts';
import { db } from './db.ts';
import type { AlertSettings, ChannelMap } from './settings-input.ts';

export interface Settings {
  phone: string | null;
  phone_verified: boolean;
  sms_opt_in: 'opted_in' | 'opted_out' | 'pending';
  timezone: string;
  quiet_hours_start: string | null;
  quiet_hours_end: string | null;
  channels: ChannelMap;
  sound_enabled: boolean;
  min_score: number;
  /** A code sent and not yet used: to which number, until when. */
  pending: { phone: string; expires_at: string } | null;
}

export async function getSettings(userId: string): Promise<Settings | null> {
  const [row] = await db()<Settings[]>`
    select p.phone, p.phone_verified, p.sms_opt_in, p.timezone,
           to_char(p.quiet_hours_start, 'HH24:MI') as quiet_hours_start,
           to_char(p.quiet_hours_end, 'HH24:MI') as quiet_hours_end,
           p.channels, p.sound_enabled, p.min_score,
           case when v.user_id is not null and v.expires_at > now() and v.attempts < 5
                then json_build_object('phone', v.phone,
                       'expires_at', to_char(v.expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
           end as pending
      from public.profiles p
      left join public.phone_verifications v on v.user_id = p.id
     where p.id = ${userId}`;
  return row ?? null;
}

export async function saveAlertSettings(userId: string, s: AlertSettings): Promise<void> {
  await asUser(
    userId,
    (tx) => tx`
    update public.profiles
       set timezone = ${s.timezone},
           quiet_hours_start = ${s.quiet_start}::time,
           quiet_hours_end = ${s.quiet_end}::time,
           channels = ${tx.json(s.channels as never)},
           sound_enabled = ${s.sound},
           min_score = ${s.min_score}
     where id = ${userId}`,
  );
}
