import { db } from '@/lib/server/db.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// GET /ready: the web process can serve pages, i.e. its database answers.
export async function GET(): Promise<Response> {
  try {
    await db()`select 1`;
    return Response.json({ status: 'up', component: 'web', checks: { database: { status: 'up' } } });
  } catch (err) {
    return Response.json(
      {
        status: 'down',
        component: 'web',
        checks: { database: { status: 'down', error: (err as Error).message } },
      },
      { status: 503 },
    );
  }
}
