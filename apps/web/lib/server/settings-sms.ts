// The SmsOutbox the settings page texts verification codes through: Twilio when the web env has
// its credentials, else the local dev phone (the message is stored in sms_messages and shows on
// /dev-phone). The outbox stores each message before it sends, once per idempotency key.
import {
  createSmsOutbox,
  DEV_ASSISTANT_NUMBER,
  DevPhoneSender,
  type SmsOutbox,
  TwilioSmsSender,
} from '@tradeassist/messaging/twilio';
import { db } from './db.ts';
import { getEnv } from './env.ts';
import { log } from './log.ts';

const g = globalThis as { __taVerifyOutbox?: SmsOutbox };

export function verificationOutbox(): SmsOutbox {
  if (!g.__taVerifyOutbox) {
    const env = getEnv();
    const twilio = env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_MESSAGING_SERVICE_SID;
    const sender = twilio
      ? new TwilioSmsSender({
          accountSid: env.TWILIO_ACCOUNT_SID!,
          authToken: env.TWILIO_AUTH_TOKEN!,
          messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
          publicUrl: env.TWILIO_PUBLIC_URL ?? null,
        })
      : new DevPhoneSender();
    g.__taVerifyOutbox = createSmsOutbox({
      sql: db(),
      sender,
      // Twilio: TWILIO_FROM_NUMBER, or (unset) the number the Messaging Service reports it picked.
      from: twilio ? (env.TWILIO_FROM_NUMBER ?? null) : DEV_ASSISTANT_NUMBER,
      logger: log().child({ component: 'phone-verification' }),
    });
  }
  return g.__taVerifyOutbox;
}
