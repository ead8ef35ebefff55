// Twilio's message status callback (the StatusCallback our sends give). Authenticated by
// X-Twilio-Signature, not by the dashboard session (lib/server/auth-gate.ts lets /api/twilio/ through).
import { handleStatusWebhook } from '@tradeassist/messaging/twilio';
import { log } from '@/lib/server/log.ts';
import { statusDeps, webhookAuth } from '@/lib/server/sms-webhook.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// POST /api/twilio/status?m=<message id>: move the message's (and its alert delivery's) status forward.
export async function POST(req: Request): Promise<Response> {
  const auth = webhookAuth();
  if (!auth) return new Response('Twilio is not configured (TWILIO_AUTH_TOKEN)', { status: 503 });
  try {
    return await handleStatusWebhook(req, statusDeps(auth));
  } catch (err) {
    // A 5xx makes Twilio retry the callback later.
    log().error({ err }, 'POST /api/twilio/status failed');
    return new Response('cannot store the status right now', { status: 503 });
  }
}
