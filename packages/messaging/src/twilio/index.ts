// The SMS edge: Twilio webhooks (signature, forms, keywords), segment sizing, and the outbox every
// outbound message goes through, with a Twilio sender and the local dev phone's.
export * from './dev-phone-sender.ts';
export * from './inbound-sms.ts';
export * from './keywords.ts';
export type * from './outbox-types.ts';
export * from './profile-outbox.ts';
export * from './segments.ts';
export * from './sms-outbox.ts';
export * from './sms-sender.ts';
export * from './status-callback.ts';
export * from './twilio-sender.ts';
export * from './twiml.ts';
export * from './webhook.ts';
export * from './webhook-handlers.ts';
