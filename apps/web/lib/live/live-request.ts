// Where a live client resumes: the SSE `Last-Event-ID` header (set by EventSource on reconnect) or
// `?since=<id>` (the first connection, after the page loaded the newest alerts). Pure.
import { z } from 'zod';

const idSchema = z
  .string()
  .trim()
  .regex(/^\d{1,19}$/, 'expected an alert id (a non-negative integer)')
  .transform((s) => BigInt(s))
  .refine((n) => n <= 9223372036854775807n, 'alert id out of range')
  .transform((n) => n.toString()); // one spelling: no leading zeros

export type ResumePoint = { ok: true; afterId: string | null } | { ok: false; error: string };

/** The header wins over the query: it is what the browser saw last. */
export function resumePoint(req: Request): ResumePoint {
  const header = req.headers.get('last-event-id');
  const since = new URL(req.url).searchParams.get('since');
  const raw = header !== null && header !== '' ? header : since;
  if (raw === null || raw === '') return { ok: true, afterId: null };
  const p = idSchema.safeParse(raw);
  if (!p.success) {
    const source = raw === header ? 'Last-Event-ID' : 'since';
    return { ok: false, error: `${source}: ${p.error.issues[0]?.message} (got ${JSON.stringify(raw)})` };
  }
  return { ok: true, afterId: p.data };
}
