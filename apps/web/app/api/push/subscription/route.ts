// This browser's Web Push subscription for the signed-in trader (components/push-toggle.tsx).
// State-changing verbs answer same-origin requests only; the proxy has already required a session.
import type { z } from 'zod';
import { currentUserId } from '@/lib/server/auth.ts';
import { log } from '@/lib/server/log.ts';
import { describeIssues, pushEndpointInput, pushSubscriptionInput } from '@/lib/server/push-input.ts';
import {
  deletePushSubscription,
  hasPushSubscription,
  MAX_SUBSCRIPTIONS_PER_USER,
  savePushSubscription,
} from '@/lib/server/push-subscriptions.ts';
import { sameOriginRefusal } from '@/lib/server/same-origin.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** A PushSubscription is well under 1 KB; anything much larger is not one. */
const MAX_BODY = 8 * 1024;
const NO_STORE = { 'cache-control': 'no-store' };

/** `code` names the refusals the toggle acts on (`taken`: subscribe afresh). */
const fail = (status: number, error: string, code?: 'taken' | 'too_many') =>
  Response.json(code ? { error, code } : { error }, { status, headers: NO_STORE });

/** The JSON body parsed with `schema`, or the 4xx answer explaining why not. */
async function body<T extends z.ZodType>(req: Request, schema: T): Promise<z.output<T> | Response> {
  const refused = sameOriginRefusal(req.headers);
  if (refused) return fail(403, refused);
  if (!(req.headers.get('content-type') ?? '').startsWith('application/json')) {
    return fail(415, 'expected Content-Type: application/json');
  }
  const text = await req.text();
  if (text.length > MAX_BODY) return fail(413, `body larger than ${MAX_BODY} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail(400, 'body is not JSON');
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : fail(400, describeIssues(parsed.error));
}

// GET /api/push/subscription?endpoint=URL: {registered} — does the server push to this browser?
export async function GET(req: Request): Promise<Response> {
  const parsed = pushEndpointInput.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) return fail(400, describeIssues(parsed.error));
  const userId = await currentUserId();
  try {
    const registered = await hasPushSubscription(userId, parsed.data.endpoint);
    return Response.json({ registered }, { headers: NO_STORE });
  } catch (err) {
    log().error({ err }, 'GET /api/push/subscription failed');
    return fail(503, 'cannot read push subscriptions right now');
  }
}

// POST /api/push/subscription: store (or refresh) this browser's PushSubscription.toJSON().
export async function POST(req: Request): Promise<Response> {
  const sub = await body(req, pushSubscriptionInput);
  if (sub instanceof Response) return sub;
  const userId = await currentUserId();
  const userAgent = req.headers.get('user-agent')?.slice(0, 500) ?? null;
  try {
    const saved = await savePushSubscription(userId, sub, userAgent);
    switch (saved.kind) {
      case 'created':
        return Response.json({ registered: true }, { status: 201, headers: NO_STORE });
      case 'updated':
        return Response.json({ registered: true }, { headers: NO_STORE });
      case 'taken':
        return fail(
          409,
          'this push subscription belongs to another account: unsubscribe and subscribe again',
          'taken',
        );
      case 'too_many':
        return fail(
          409,
          `at most ${MAX_SUBSCRIPTIONS_PER_USER} browsers get push: turn it off on one you no longer use`,
          'too_many',
        );
    }
  } catch (err) {
    // The endpoint is a capability URL: log that it failed, never the subscription itself.
    log().error({ err }, 'POST /api/push/subscription failed');
    return fail(503, 'cannot store the push subscription right now');
  }
}

// DELETE /api/push/subscription {endpoint}: stop pushing to this browser.
export async function DELETE(req: Request): Promise<Response> {
  const input = await body(req, pushEndpointInput);
  if (input instanceof Response) return input;
  const userId = await currentUserId();
  try {
    const removed = await deletePushSubscription(userId, input.endpoint);
    return Response.json({ removed }, { headers: NO_STORE });
  } catch (err) {
    log().error({ err }, 'DELETE /api/push/subscription failed');
    return fail(503, 'cannot remove the push subscription right now');
  }
}
