import { tickerSchema } from '@tradeassist/core/alert';
import { z } from 'zod';
import { log } from '@/lib/server/log.ts';
import { latestDay, symbolBarsSince } from '@/lib/server/symbol-view.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const querySchema = z.object({
  day: z.iso.date(),
  // UTC seconds of the first minute wanted (the page re-asks for its last bar, which may have grown)
  from: z.coerce.number().int().min(0).max(4_102_444_800),
});

// GET /symbol/:ticker/bars?day=YYYY-MM-DD&from=S: the symbol page's refresh - that day's 1-minute
// bars from S on, the day's key numbers, and the symbol's newest day (a newer one: reload the page).
export async function GET(req: Request, ctx: { params: Promise<{ ticker: string }> }): Promise<Response> {
  const ticker = tickerSchema.safeParse(decodeURIComponent((await ctx.params).ticker).toUpperCase());
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const query = querySchema.safeParse(params);
  if (!ticker.success || !query.success) {
    const issues = [...(ticker.error?.issues ?? []), ...(query.error?.issues ?? [])];
    const error = issues.map((i) => `${i.path.join('.') || 'ticker'}: ${i.message}`).join('; ');
    return Response.json({ error }, { status: 400 });
  }
  try {
    const [r, newest] = await Promise.all([
      symbolBarsSince(ticker.data, query.data.day, query.data.from),
      latestDay(ticker.data),
    ]);
    return Response.json(
      { ...r, day: newest ?? query.data.day },
      { headers: { 'cache-control': 'no-store' } },
    );
  } catch (err) {
    log().error({ err }, 'GET /symbol/:ticker/bars failed');
    return Response.json({ error: `cannot read bars: ${(err as Error).message}` }, { status: 503 });
  }
}
