// Live push latency of the local profile: from an alert's insert to an SSE client of /api/live
// receiving it, through the real path (alerts_publish trigger -> NOTIFY -> the feed's one LISTEN
// connection -> fan-out -> SSE stream over HTTP). Ten clients; the clock starts just before the
// single-row insert (autocommit) is sent, so the figure includes the insert and its commit.
import { createServer, type Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createAlertFeed, createDb, insertAlerts } from '@tradeassist/db';
import { makeAlert } from '@tradeassist/db/testing/alert-factory';
import { startScratchPostgres } from '@tradeassist/db/testing/scratch-postgres';
import pino from 'pino';
import { sseResponse } from '../../apps/web/lib/live/sse-stream.ts';

type BenchResult = { name: string; value: number; unit: string; n: number; min: number; max: number };

const RUNS = 3;
const CLIENTS = 10;
const ALERTS = 200;
const GAP_MS = 20;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const figure = (name: string, xs: number[]): BenchResult => ({
  name,
  unit: 'ms',
  value: Math.round(median(xs) * 100) / 100,
  n: xs.length,
  min: Math.round(Math.min(...xs) * 100) / 100,
  max: Math.round(Math.max(...xs) * 100) / 100,
});

/** Opens /api/live and calls `onId` with each alert id as it arrives; resolves once the stream is ready. */
async function client(url: string, signal: AbortSignal, onId: (id: string) => void): Promise<void> {
  const res = await fetch(url, { signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    markReady = r;
  });
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          if (block.includes('event: ready')) markReady();
          const id = /^id: (\d+)$/m.exec(block)?.[1];
          if (id) onId(id);
        }
      }
    } catch {
      // aborted at the end of the run
    }
  })();
  await ready;
}

export async function run(): Promise<BenchResult[]> {
  const pg = await startScratchPostgres('bench_sse');
  const silent = pino({ level: 'silent' });
  const feed = createAlertFeed({ url: pg.url, logger: silent });
  const sql = createDb({ url: pg.url, max: 2, application: 'bench-sse' });
  const server: Server = createServer(async (_req, res) => {
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    const r = sseResponse({ feed, afterId: null, userId: null, signal: ac.signal, logger: silent });
    r.headers.forEach((value, key) => {
      res.setHeader(key, value);
    });
    res.writeHead(r.status);
    res.flushHeaders();
    try {
      for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
    } finally {
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/api/live`;
  try {
    const p50s: number[] = [];
    const p99s: number[] = [];
    let k = 0;
    for (let r = 0; r < RUNS + 1; r++) {
      const ac = new AbortController();
      const sentAt = new Map<string, number>();
      const lat: number[] = [];
      const pending: { id: string; at: number }[] = [];
      const onId = (id: string) => {
        const t = sentAt.get(id);
        if (t === undefined) pending.push({ id, at: performance.now() });
        else lat.push(performance.now() - t);
      };
      await Promise.all(Array.from({ length: CLIENTS }, () => client(url, ac.signal, onId)));
      for (let i = 0; i < ALERTS; i++) {
        const a = makeAlert(k++, 'L');
        const t0 = performance.now();
        await insertAlerts(sql, [a]);
        const [row] = await sql<
          { id: string }[]
        >`select id::text from alerts where dedupe_key = ${a.dedupe_key}`;
        sentAt.set(row!.id, t0);
        // An event can beat the id lookup back: account for it with its arrival time.
        for (const p of pending.splice(0)) {
          const t = sentAt.get(p.id);
          if (t !== undefined) lat.push(p.at - t);
          else pending.push(p);
        }
        await new Promise((res) => setTimeout(res, GAP_MS));
      }
      while (lat.length < ALERTS * CLIENTS) await new Promise((res) => setTimeout(res, 10));
      ac.abort();
      if (r === 0) continue; // warm-up run
      p50s.push(quantile(lat, 0.5));
      p99s.push(quantile(lat, 0.99));
    }
    return [figure('sse.notify_to_client_p50', p50s), figure('sse.notify_to_client_p99', p99s)];
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await feed.close();
    await sql.end({ timeout: 1 });
    await pg.stop();
  }
}
