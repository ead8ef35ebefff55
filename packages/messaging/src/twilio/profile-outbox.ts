// The outbox of a process's profile: Twilio when it is configured, sent by the Messaging Service and
// stored as coming from TWILIO_FROM_NUMBER (unset: from the number Twilio reports it picked, see
// sms-outbox.ts); else the local dev phone, from the dev assistant's number.
import type { Sql } from 'postgres';
import { DEV_ASSISTANT_NUMBER, DevPhoneSender } from './dev-phone-sender.ts';
import type { SmsOutbox } from './outbox-types.ts';
import { createSmsOutbox, type OutboxLogger } from './sms-outbox.ts';
import { type TwilioSenderOptions, TwilioSmsSender } from './twilio-sender.ts';

export interface TwilioProfile extends TwilioSenderOptions {
  /** TWILIO_FROM_NUMBER (E.164); unset with a Messaging Service, which picks and reports one. */
  fromNumber?: string | undefined;
}

export function createProfileSmsOutbox(opts: {
  sql: Sql;
  /** Null: the local profile without Twilio (the dev phone). */
  twilio: TwilioProfile | null;
  logger: OutboxLogger;
}): SmsOutbox {
  const { sql, twilio, logger } = opts;
  if (!twilio) {
    return createSmsOutbox({ sql, sender: new DevPhoneSender(), from: DEV_ASSISTANT_NUMBER, logger });
  }
  const { fromNumber, ...sender } = twilio;
  return createSmsOutbox({ sql, sender: new TwilioSmsSender(sender), from: fromNumber ?? null, logger });
}
