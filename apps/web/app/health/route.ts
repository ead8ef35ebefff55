export const dynamic = 'force-dynamic';

// GET /health: the web process is alive (no dependency is consulted).
export function GET(): Response {
  return Response.json({ status: 'up', component: 'web' }, { headers: { 'cache-control': 'no-store' } });
}
