// The local profile's live feed end to end: GET /api/live (the route handler itself, called with a
// Request) streams an alert committed after the client connected, and a client that reconnects with
// Last-Event-ID gets exactly the alerts it missed, in order, then live ones: no gap, no duplicate.
import { insertAlerts } from '@tradeassist/db';
import type { LiveAlert } from '@tradeassist/db/live-alert';
import { makeAlert } from '@tradeassist/db/testing/alert-factory';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const db = useTestDatabase();
type Route = typeof import('../../apps/web/app/api/live/route.ts');
type Feed = typeof import('../../apps/web/lib/live/server/live-feed.ts');
let route: Route;
let feedModule: Feed;

beforeAll(async () => {
  // The route reads its configuration through the web app's env (local profile, this database).
  process.env.DATABASE_URL = db.url;
  process.env.TRADEASSIST_PROFILE = 'local';
  process.env.LOG_LEVEL = 'silent';
  route = await import('../../apps/web/app/api/live/route.ts');
  feedModule = await import('../../apps/web/lib/live/server/live-feed.ts');
});

afterAll(async () => {
  await feedModule?.liveFeed().close();
});

interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** Reads SSE events from a response body, one at a time. */
function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  return {
    async next(): Promise<SseEvent | null> {
      for (;;) {
        const end = buf.indexOf('\n\n');
        if (end >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const ev: SseEvent = { event: 'message', data: '' };
          let isComment = true;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const [field, ...rest] = line.split(': ');
            const value = rest.join(': ');
            if (field === 'id') ev.id = value;
            else if (field === 'event') ev.event = value;
            else if (field === 'data') ev.data = value;
            else if (field === 'retry') continue;
            isComment = false;
          }
          if (!isComment && (ev.data !== '' || ev.id !== undefined)) return ev;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) return null;
        buf += decoder.decode(value, { stream: true });
      }
    },
    /** Alert events up to the `ready` event (the back-fill). */
    async untilReady(): Promise<SseEvent[]> {
      const out: SseEvent[] = [];
      for (let e = await this.next(); e; e = await this.next()) {
        if (e.event === 'ready') return out;
        out.push(e);
      }
      throw new Error('stream ended before ready');
    },
    cancel: () => reader.cancel(),
  };
}

let n = 0;
async function insert(count: number): Promise<string[]> {
  const alerts = Array.from({ length: count }, () => makeAlert(n++, 'E'));
  await insertAlerts(db.sql, alerts);
  const rows = await db.sql<{ id: string }[]>`
    select id::text from alerts where dedupe_key = any(${alerts.map((a) => a.dedupe_key)}) order by alerts.id`;
  return rows.map((r) => r.id);
}

describe('GET /api/live', () => {
  it('streams new alerts and resumes after Last-Event-ID without gap or duplicate', async () => {
    const before = await insert(2);
    const abort = new AbortController();
    const res = await route.GET(
      new Request(`http://127.0.0.1/api/live?since=${before[1]}`, { signal: abort.signal }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const first = sseReader(res);
    expect(await first.untilReady()).toEqual([]); // nothing after `since` yet

    const [live] = await insert(1);
    const ev = await first.next();
    expect(ev?.event).toBe('alert');
    expect(ev?.id).toBe(live);
    const alert = JSON.parse(ev!.data) as LiveAlert;
    expect(alert).toMatchObject({
      id: live,
      symbol: 'S2',
      ts_event: '1700577000000000002',
      price: '100.000000002',
    });

    // The client drops; alerts commit while it is away.
    abort.abort();
    expect(await first.next()).toBeNull(); // the stream ended cleanly
    const missed = await insert(3);

    const again = await route.GET(
      new Request('http://127.0.0.1/api/live', { headers: { 'last-event-id': live! } }),
    );
    const second = sseReader(again);
    const backfill = await second.untilReady();
    expect(backfill.map((e) => e.id)).toEqual(missed);
    const [next] = await insert(1);
    expect((await second.next())?.id).toBe(next);
    await second.cancel();
  });

  it('answers 400 to a resume point that is not an id', async () => {
    const res = await route.GET(
      new Request('http://127.0.0.1/api/live', { headers: { 'last-event-id': 'x1' } }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/Last-Event-ID/);
  });

  it('lets go of the subscription when clients leave', async () => {
    const feed = feedModule.liveFeed();
    const clients = await Promise.all(
      [0, 1, 2].map(async () => {
        const abort = new AbortController();
        const r = sseReader(
          await route.GET(new Request('http://127.0.0.1/api/live', { signal: abort.signal })),
        );
        await r.untilReady();
        return { abort, r };
      }),
    );
    expect(feed.subscribers).toBe(3);
    for (const c of clients) c.abort.abort();
    for (const c of clients) expect(await c.r.next()).toBeNull();
    expect(feed.subscribers).toBe(0);
  });
});
