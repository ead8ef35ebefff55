'use server';
// The dev phone's send: the text goes to this app's own Twilio webhook as a signed inbound SMS, so
// the local profile exercises the same path as a real phone (signature, storage, keywords, hand-off).
import { headers } from 'next/headers';
import { z } from 'zod';
import { currentUserId } from '@/lib/server/auth.ts';
import { log } from '@/lib/server/log.ts';
import { devPhoneEnabled, postFromDevPhone, profilePhone } from '@/lib/server/sms-messages.ts';

export interface DevPhoneState {
  seq: number;
  error: string | null;
  /** The webhook's immediate TwiML reply (keywords), shown until the next send. */
  reply: string | null;
}

const bodySchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'Type a message first.').max(1600, 'At most 1600 characters (Twilio’s limit).'));

export async function sendDevSms(prev: DevPhoneState, form: FormData): Promise<DevPhoneState> {
  const seq = prev.seq + 1;
  if (!devPhoneEnabled())
    return { seq, error: 'The dev phone works in the local profile without Twilio.', reply: null };
  const parsed = bodySchema.safeParse(form.get('body') ?? '');
  if (!parsed.success)
    return { seq, error: parsed.error.issues[0]?.message ?? 'Invalid message.', reply: null };
  const phone = await profilePhone(await currentUserId());
  if (!phone)
    return { seq, error: 'Your profile has no phone number (supabase/seed.sql sets one).', reply: null };
  // The app's own address as the browser reached it (loopback in the local profile).
  const host = (await headers()).get('host');
  if (!host) return { seq, error: 'No Host header: cannot reach the webhook.', reply: null };
  try {
    const r = await postFromDevPhone(`http://${host}`, phone, parsed.data);
    if (r.status !== 200) return { seq, error: `The webhook answered ${r.status}.`, reply: null };
    return { seq, error: null, reply: r.reply };
  } catch (err) {
    log().warn({ err }, 'dev phone send failed');
    return { seq, error: `Not sent: ${(err as Error).message}`, reply: null };
  }
}
