// Reads of the SMS history for the dashboard: the trader's own messages (/messages) and the local
// dev phone's thread (/dev-phone), plus the dev phone's send, which goes through the real webhook.
import { randomBytes } from 'node:crypto';
import { DEV_ASSISTANT_NUMBER, signTwilioWebhook } from '@tradeassist/messaging/twilio';
import { db } from './db.ts';
import { getEnv } from './env.ts';

export interface SmsRow {
  id: string;
  direction: 'in' | 'out';
  body: string;
  status: string;
  error_code: string | null;
  /** Null on an outbound row until Twilio reports the number it sent from. */
  from_number: string | null;
  to_number: string;
  created_at: string;
}

/** The dev phone's account sid: what its signed webhook requests carry (AC + 32 zeros). */
export const DEV_PHONE_ACCOUNT_SID = `AC${'0'.repeat(32)}`;

/** The trader's messages, newest first. */
export async function userMessages(userId: string, limit = 200): Promise<SmsRow[]> {
  return db()<SmsRow[]>`
    select id, direction, body, status, error_code, from_number, to_number,
           to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at
    from public.sms_messages
    where user_id = ${userId}
    order by created_at desc, id
    limit ${limit}`;
}

/** Everything to and from one number (known user or not), oldest first, the newest `limit`. */
export async function phoneThread(phone: string, limit = 100): Promise<SmsRow[]> {
  // The fixed-width UTC text sorts as the timestamp does.
  return db()<SmsRow[]>`
    select * from (
      select id, direction, body, status, error_code, from_number, to_number,
             to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at
      from public.sms_messages
      where (direction = 'in' and from_number = ${phone}) or (direction = 'out' and to_number = ${phone})
      order by created_at desc
      limit ${limit}
    ) t order by created_at, id`;
}

export async function profilePhone(userId: string): Promise<string | null> {
  const [row] = await db()<
    { phone: string | null }[]
  >`select phone from public.profiles where id = ${userId}`;
  return row?.phone ?? null;
}

/**
 * The dev phone is on in the local profile while no TWILIO_ variable is set: then the webhook
 * checks signatures with the fixed local token, which the dev phone signs with.
 */
export function devPhoneEnabled(): boolean {
  const env = getEnv();
  return (
    env.profile === 'local' &&
    !env.TWILIO_ACCOUNT_SID &&
    !env.TWILIO_PUBLIC_URL &&
    env.TWILIO_AUTH_TOKEN !== undefined
  );
}

export interface DevPhoneResult {
  status: number;
  /** The webhook's TwiML <Message> reply, if any (STOP/START/HELP, unknown number). */
  reply: string | null;
}

/**
 * Texts `body` from `phone` to the assistant the way Twilio delivers an inbound SMS: a form POST to
 * this app's /api/twilio/sms, signed with the auth token for exactly the URL it is sent to.
 */
export async function postFromDevPhone(origin: string, phone: string, body: string): Promise<DevPhoneResult> {
  const token = getEnv().TWILIO_AUTH_TOKEN;
  if (!token)
    throw new Error('no webhook token: the dev phone needs the local profile without TWILIO_ variables');
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const params: Record<string, string> = {
    MessageSid: sid,
    SmsMessageSid: sid,
    SmsSid: sid,
    AccountSid: DEV_PHONE_ACCOUNT_SID,
    From: phone,
    To: DEV_ASSISTANT_NUMBER,
    Body: body,
    NumMedia: '0',
    NumSegments: '1',
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
  };
  const url = `${origin}/api/twilio/sms`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signTwilioWebhook(token, url, params),
    },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(10_000),
    cache: 'no-store',
  });
  const text = await res.text();
  const reply = /<Message>([\s\S]*?)<\/Message>/.exec(text)?.[1];
  return { status: res.status, reply: reply === undefined ? null : unescapeXml(reply) };
}

function unescapeXml(s: string): string {
  return s
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}
