// The local profile's "provider": nothing leaves the machine. The message is already stored in
// sms_messages by the outbox, and the dashboard's dev phone page (/dev-phone) shows it from there, so
// sending is only giving it a sid and calling it delivered.
import { randomBytes } from 'node:crypto';
import type { SendRequest, SendResult, SmsSender } from './sms-sender.ts';

/** The dev phone's own number (the local single user's profiles.phone, supabase/seed.sql). */
export const DEV_PHONE_NUMBER = '+15555550100';
/** The assistant's number in the local profile: what the dev phone texts, and replies come from. */
export const DEV_ASSISTANT_NUMBER = '+15555550199';

export class DevPhoneSender implements SmsSender {
  readonly name = 'dev-phone';

  async send(req: SendRequest): Promise<SendResult> {
    // 'SMdev' + 32 hex: shaped like a Twilio sid, yet never mistaken for one.
    return {
      sid: `SMdev${randomBytes(16).toString('hex')}`,
      status: 'delivered',
      from: req.from ?? DEV_ASSISTANT_NUMBER,
    };
  }
}
