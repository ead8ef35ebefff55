import { healthReport } from '@/lib/server/health.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// GET /api/health: each component's state; 200 when all are up, 503 otherwise.
export async function GET(): Promise<Response> {
  const report = await healthReport();
  return Response.json(report, {
    status: report.status === 'up' ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}
