// Twilio's messaging webhook. Authenticated by X-Twilio-Signature, not by the dashboard session
// (lib/server/auth-gate.ts lets /api/twilio/ through).
import { handleInboundWebhook } from '@tradeassist/messaging/twilio';
import { inboundDeps, twilioWebhookRoute } from '@/lib/server/sms-webhook.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// POST /api/twilio/sms: store the message once, answer STOP/START/HELP, hand the rest to the conversation.
// Not stored (the database is away): the 503 makes Twilio log it; the sender can text again.
export const POST = twilioWebhookRoute(
  '/api/twilio/sms',
  (req, auth) => handleInboundWebhook(req, inboundDeps(auth)),
  'cannot store the message right now',
);
