// Fault: Postgres goes away for 30 s in the middle of a 100,000-alert stream and comes back. The
// writer spools while it is down and replays on reconnect; the live feed (one LISTEN connection,
// as in the SSE route) reconnects and back-fills what it could not hear. Afterwards every alert is
// in the table exactly once and every one reached the live subscriber exactly once.
// This test owns its server (embedded Postgres in a temp dir): it must stop and restart it.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertWriter, createAlertFeed, createDb, type Db, type WriterState } from '@tradeassist/db';
import { type EmbeddedPostgresHandle, prepareDatabase, startEmbeddedPostgres } from '@tradeassist/db/local';
import { makeAlert } from '@tradeassist/db/testing/alert-factory';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';

const N = 100_000;
const OUTAGE_MS = 30_000;
const silent = pino({ level: 'silent' });
const tmp = mkdtempSync(join(tmpdir(), 'ta-outage-'));
let pg: EmbeddedPostgresHandle | undefined;

afterAll(async () => {
  await pg?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(pred: () => boolean): Promise<void> {
  while (!pred()) await sleep(20);
}

describe('Postgres outage during an alert stream', () => {
  it('loses nothing and duplicates nothing across a 30 s stop and restart', async () => {
    const dataDir = join(tmp, 'data');
    pg = await startEmbeddedPostgres({ dataDir, persistent: true });
    const port = pg.port;
    const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
    await admin`create database outage`;
    await admin.end();
    const url = pg.urlFor('outage');
    await prepareDatabase(url);

    const sql: Db = createDb({ url, max: 4, application: 'outage-writer', connectTimeoutSeconds: 2 });
    const states: WriterState[] = [];
    let replayed = 0;
    const writer = new AlertWriter({
      sql,
      spoolDir: join(tmp, 'spool'),
      logger: silent,
      retryMinMs: 100,
      retryMaxMs: 1_000,
      insertTimeoutMs: 5_000,
      onStateChange: (s) => states.push(s),
      onCommit: (c) => {
        if (c.fromSpool) replayed += c.count;
      },
    });
    const feed = createAlertFeed({ url, logger: silent, retryMaxMs: 1_000 });
    const seen = new Set<string>();
    let deliveries = 0;
    const sub = await feed.subscribe({
      afterId: null,
      userId: null,
      onAlert: (a) => {
        deliveries++;
        seen.add(a.dedupe_key);
      },
    });

    // A status line every 5 s on stderr: if this test ever stalls, the log says which stage did.
    const status = setInterval(() => {
      const st = { pushed, writer: writer.state, queue: writer.queueDepth, durable: writer.durable };
      const more = { committed: writer.committed, replayed, seen: seen.size, feed: feed.state };
      process.stderr.write(`outage-test ${JSON.stringify({ ...st, ...more })}\n`);
    }, 5_000);

    // The stream: 100,000 alerts at about 2,500/s (50 every 20 ms), so it spans the outage.
    let pushed = 0;
    const producer = (async () => {
      while (pushed < N) {
        for (let k = 0; k < 50 && pushed < N; k++) {
          const a = makeAlert(pushed, 'O');
          while (writer.push(a) === 'full') await writer.drained();
          pushed++;
        }
        await sleep(20);
      }
    })();

    await until(() => pushed >= 10_000);
    await pg.stop();
    const stoppedAt = pushed;
    await sleep(OUTAGE_MS);
    const duringOutage = pushed - stoppedAt;
    pg = await startEmbeddedPostgres({ dataDir, port, persistent: true });

    await producer;
    await until(() => writer.state === 'up');
    await writer.flush();
    await until(() => seen.size >= N);
    await writer.close();
    clearInterval(status);
    sub.close();
    await feed.close();

    const check = postgres(url, { max: 1, onnotice: () => {} });
    const [r] = await check<{ rows: number; keys: number; lo: number; hi: number }[]>`
        select count(*)::int as rows, count(distinct dedupe_key)::int as keys,
               min((details->>'i')::int) as lo, max((details->>'i')::int) as hi
        from alerts where dedupe_key like 'O:%'`;
    await check.end();
    await sql.end({ timeout: 1 });

    expect(duringOutage).toBeGreaterThan(10_000); // the stream really ran through the outage
    expect(states).toContain('down');
    expect(replayed).toBeGreaterThanOrEqual(duringOutage);
    // 100,000 rows with 100,000 distinct keys spanning 0..99,999: each alert exactly once.
    expect(r).toEqual({ rows: N, keys: N, lo: 0, hi: N - 1 });
    expect(seen.size).toBe(N);
    expect(deliveries).toBe(N); // the live subscriber got each one once, back-fill included
    expect(readdirSync(join(tmp, 'spool')).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
  }, 240_000);
});
