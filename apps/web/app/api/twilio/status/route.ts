// Twilio's message status callback (the StatusCallback our sends give). Authenticated by
// X-Twilio-Signature, not by the dashboard session (lib/server/auth-gate.ts lets /api/twilio/ through).
import { handleStatusWebhook } from '@tradeassist/messaging/twilio';
import { statusDeps, twilioWebhookRoute } from '@/lib/server/sms-webhook.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// POST /api/twilio/status?m=<message id>: move the message's (and its alert delivery's) status forward.
// A 503 makes Twilio retry the callback later.
export const POST = twilioWebhookRoute(
  '/api/twilio/status',
  (req, auth) => handleStatusWebhook(req, statusDeps(auth)),
  'cannot store the status right now',
);
