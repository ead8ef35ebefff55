import { alertsQuerySchema, newestAlerts } from '@/lib/server/alerts.ts';
import { log } from '@/lib/server/log.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// GET /api/alerts?limit=N: the newest N alerts (1..1000, default 100), newest first.
export async function GET(req: Request): Promise<Response> {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const query = alertsQuerySchema.safeParse(params);
  if (!query.success) {
    const error = query.error.issues
      .map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(params[String(i.path[0])])})`)
      .join('; ');
    return Response.json({ error }, { status: 400 });
  }
  try {
    return Response.json(await newestAlerts(query.data.limit), { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    log().error({ err }, 'GET /api/alerts failed');
    return Response.json({ error: `cannot read alerts: ${(err as Error).message}` }, { status: 503 });
  }
}
