// Phone verification: a 6-digit code by SMS to the number the trader typed; the number becomes the
// profile's (phone_verified, SMS opted in) only when the code comes back. The code itself is never
// stored or logged: the row keeps a salted SHA-256 of it, its expiry and the wrong tries, and the
// compare is constant-time. The SMS goes through an SmsOutbox (stored in sms_messages before it is
// sent), injected so that this module does not choose the provider.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { SmsOutbox } from '@tradeassist/messaging/twilio';
import { pgCode } from './auth-db.ts';
import { db } from './db.ts';

export const CODE_TTL_MINUTES = 10;
export const MAX_ATTEMPTS = 5;
/** Between two codes to one trader; and at most MAX_SENDS_PER_HOUR per hour (each one is an SMS). */
export const RESEND_AFTER_SECONDS = 30;
export const MAX_SENDS_PER_HOUR = 5;

export class VerificationRefused extends Error {}

export function hashCode(salt: string, phone: string, code: string): string {
  return createHash('sha256').update(`${salt}:${phone}:${code}`).digest('hex');
}

/** The SMS text: the code first (phones show it in the notification), who sent it, for how long. */
export function verificationText(code: string): string {
  return `${code} is your TradeAssist code. It expires in ${CODE_TTL_MINUTES} min. Not you? Ignore this text.`;
}

interface Row {
  phone: string;
  sends: number;
  window_open: boolean;
  wait_s: number;
}

/** Creates (or replaces) the trader's code for `phone` and texts it. */
export async function sendVerificationCode(userId: string, phone: string, outbox: SmsOutbox): Promise<void> {
  const sql = db();
  const [taken] = await sql`select 1 from public.profiles where phone = ${phone} and id <> ${userId}`;
  if (taken) throw new VerificationRefused('This number belongs to another account.');
  const [current] = await sql<{ phone: string; verified: boolean }[]>`
    select phone, phone_verified as verified from public.profiles where id = ${userId}`;
  if (current?.phone === phone && current.verified)
    throw new VerificationRefused('This number is already verified.');

  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const salt = randomBytes(16).toString('hex');
  const nonce = randomBytes(8).toString('hex');
  const hash = hashCode(salt, phone, code);
  await sql.begin(async (tx) => {
    const [prev] = await tx<Row[]>`
      select phone, sends, window_started_at > now() - interval '1 hour' as window_open,
             greatest(0, ${RESEND_AFTER_SECONDS} - extract(epoch from now() - last_sent_at))::int as wait_s
        from public.phone_verifications where user_id = ${userId} for update`;
    if (prev && prev.wait_s > 0) {
      throw new VerificationRefused(`A code was just sent. Wait ${prev.wait_s} s before asking for another.`);
    }
    if (prev?.window_open && prev.sends >= MAX_SENDS_PER_HOUR) {
      throw new VerificationRefused('Too many codes this hour. Try again later.');
    }
    const keepWindow = Boolean(prev?.window_open);
    await tx`
      insert into public.phone_verifications
        (user_id, phone, code_hash, salt, expires_at, attempts, sends, window_started_at, last_sent_at)
      values (${userId}, ${phone}, ${hash}, ${salt}, now() + make_interval(mins => ${CODE_TTL_MINUTES}), 0, 1, now(), now())
      on conflict (user_id) do update set
        phone = excluded.phone, code_hash = excluded.code_hash, salt = excluded.salt,
        expires_at = excluded.expires_at, attempts = 0, last_sent_at = now(),
        sends = case when ${keepWindow} then public.phone_verifications.sends + 1 else 1 end,
        window_started_at = case when ${keepWindow} then public.phone_verifications.window_started_at else now() end`;
  });
  // After the commit: a send that fails leaves a code nobody received, and the trader asks again.
  const sent = await outbox.send({
    userId,
    to: phone,
    body: verificationText(code),
    idempotencyKey: `verify-${userId}-${nonce}`,
  });
  if (sent.status === 'failed' || sent.status === 'undelivered') {
    throw new VerificationRefused('The SMS could not be sent to this number. Check it and try again.');
  }
}

/** Checks the code; on a match the number becomes the profile's, verified and opted in to SMS. */
export async function confirmVerificationCode(userId: string, code: string): Promise<string> {
  const result = await db().begin(async (tx) => {
    const [v] = await tx<
      { phone: string; code_hash: string; salt: string; attempts: number; expired: boolean }[]
    >`
      select phone, code_hash, salt, attempts, expires_at <= now() as expired
        from public.phone_verifications where user_id = ${userId} for update`;
    if (!v) return { error: 'Ask for a code first.' };
    if (v.expired) return { error: 'This code has expired. Ask for a new one.' };
    if (v.attempts >= MAX_ATTEMPTS) return { error: 'Too many wrong codes. Ask for a new one.' };
    const given = Buffer.from(hashCode(v.salt, v.phone, code), 'hex');
    if (!timingSafeEqual(given, Buffer.from(v.code_hash, 'hex'))) {
      await tx`update public.phone_verifications set attempts = attempts + 1 where user_id = ${userId}`;
      const left = MAX_ATTEMPTS - v.attempts - 1;
      return {
        error:
          left > 0
            ? `Wrong code. ${left} ${left === 1 ? 'try' : 'tries'} left.`
            : 'Wrong code. Ask for a new one.',
      };
    }
    try {
      // Typing back a code we texted is the explicit opt-in carriers ask for.
      await tx`
        update public.profiles
           set phone = ${v.phone}, phone_verified = true,
               sms_opt_in = 'opted_in', sms_opt_in_changed_at = now()
         where id = ${userId}`;
    } catch (e) {
      if (pgCode(e).code === '23505') return { error: 'This number belongs to another account.' };
      throw e;
    }
    await tx`delete from public.phone_verifications where user_id = ${userId}`;
    return { phone: v.phone };
  });
  if ('error' in result) throw new VerificationRefused(result.error);
  return result.phone;
}
