// Twilio's messaging webhook. Authenticated by X-Twilio-Signature, not by the dashboard session
// (lib/server/auth-gate.ts lets /api/twilio/ through).
import { handleInboundWebhook } from '@tradeassist/messaging/twilio';
import { log } from '@/lib/server/log.ts';
import { inboundDeps, webhookAuth } from '@/lib/server/sms-webhook.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// POST /api/twilio/sms: store the message once, answer STOP/START/HELP, hand the rest to the conversation.
export async function POST(req: Request): Promise<Response> {
  const auth = webhookAuth();
  if (!auth) return new Response('Twilio is not configured (TWILIO_AUTH_TOKEN)', { status: 503 });
  try {
    return await handleInboundWebhook(req, inboundDeps(auth));
  } catch (err) {
    // Not stored (the database is away): a 5xx makes Twilio log it; the sender can text again.
    log().error({ err }, 'POST /api/twilio/sms failed');
    return new Response('cannot store the message right now', { status: 503 });
  }
}
