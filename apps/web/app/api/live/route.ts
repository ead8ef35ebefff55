import { resumePoint } from '../../../lib/live/live-request.ts';
import { LOCAL_USER_ID, liveFeed } from '../../../lib/live/server/live-feed.ts';
import { sseResponse } from '../../../lib/live/sse-stream.ts';
import { getEnv } from '../../../lib/server/env.ts';
import { log } from '../../../lib/server/log.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// GET /api/live: new alerts as Server-Sent Events (local profile), resuming after Last-Event-ID or ?since=.
export async function GET(req: Request): Promise<Response> {
  if (getEnv().profile !== 'local') {
    return Response.json(
      { error: 'the cloud profile pushes alerts through Supabase Realtime' },
      { status: 404 },
    );
  }
  const at = resumePoint(req);
  if (!at.ok) return Response.json({ error: at.error }, { status: 400 });
  return sseResponse({
    feed: liveFeed(),
    afterId: at.afterId,
    userId: LOCAL_USER_ID,
    signal: req.signal,
    logger: log().child({ component: 'live-sse' }),
  });
}
