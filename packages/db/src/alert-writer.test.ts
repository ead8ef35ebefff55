import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '@tradeassist/core/alert';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertWriter, type AlertWriterOptions, type CommitInfo, type WriterState } from './alert-writer.ts';
import { createDb, type Db } from './client.ts';
import { makeAlert } from './testing/alert-factory.ts';
import { startTcpProxy, viaProxy } from './testing/tcp-proxy.ts';

const db = useTestDatabase();
const silent = pino({ level: 'silent' });
const dirs: string[] = [];
const clients: Db[] = [];

afterAll(async () => {
  for (const c of clients) await c.end({ timeout: 1 });
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function spoolDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ta-spool-'));
  dirs.push(d);
  return d;
}

function client(url = db.url): Db {
  const c = createDb({ url, max: 2, application: 'alert-writer-test', connectTimeoutSeconds: 2 });
  clients.push(c);
  return c;
}

function writer(opts: Partial<AlertWriterOptions> = {}): AlertWriter {
  return new AlertWriter({ sql: client(), spoolDir: spoolDir(), logger: silent, ...opts });
}

async function countPrefix(prefix: string): Promise<{ rows: number; keys: number }> {
  const [r] = await db.sql<{ rows: number; keys: number }[]>`
    select count(*)::int as rows, count(distinct dedupe_key)::int as keys
    from alerts where dedupe_key like ${`${prefix}:%`}`;
  return r!;
}

const jsonl = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.jsonl'));

describe('AlertWriter', () => {
  it('commits in batches of batchSize, with exact prices and nanosecond times', async () => {
    const commits: CommitInfo[] = [];
    const w = writer({
      batchSize: 1000,
      maxBatchSize: 1000,
      flushIntervalMs: 60_000,
      onCommit: (c) => commits.push(c),
    });
    for (let i = 0; i < 2500; i++) expect(w.push(makeAlert(i, 'B'))).toBe('queued');
    await w.flush();
    await w.close();
    // 2500 = 1000 + 1000 + 500: two size-triggered batches, the rest by flush().
    expect(commits.map((c) => c.count)).toEqual([1000, 1000, 500]);
    expect(commits.every((c) => c.latencyMs?.length === c.count)).toBe(true);
    expect(await countPrefix('B')).toEqual({ rows: 2500, keys: 2500 });
    // Alert 2499: price 100 + 2499e-9, ts 1700577000000000000 + 2499; both beyond a double's reach.
    const [row] = await db.sql<{ price: string; ts_event: string; score: number }[]>`
      select price::text, ts_event::text, score from alerts where dedupe_key = 'B:2499'`;
    expect(row).toEqual({ price: '100.000002499', ts_event: '1700577000000002499', score: 0.99 });
  });

  it('pipelines batches yet settles them in push order (onCommit, onDurable, flush)', async () => {
    const commits: number[] = [];
    const durable: number[] = [];
    const dir = spoolDir();
    const w = new AlertWriter({
      sql: client(),
      spoolDir: dir,
      logger: silent,
      pipeline: 3,
      batchSize: 50,
      maxBatchSize: 50,
      segmentLines: 200,
      onCommit: (c) => commits.push(c.count),
      onDurable: (seq) => durable.push(seq),
    });
    let pushed = 0;
    const flushes: Promise<number>[] = [];
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 100; i++) w.push(makeAlert(pushed++, 'PL'));
      const at = pushed;
      // Resolves only once everything pushed so far committed, whatever order batches finish in.
      flushes.push(w.flush().then(() => at));
    }
    for (const f of flushes) expect(await f).toBeLessThanOrEqual(w.durable);
    await w.close();
    expect(commits.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(durable.at(-1)).toBe(1000);
    expect(durable.every((d, i) => i === 0 || d > durable[i - 1]!)).toBe(true);
    expect(await countPrefix('PL')).toEqual({ rows: 1000, keys: 1000 });
    expect(jsonl(dir)).toEqual([]);
  });

  it('is idempotent: pushing the same alerts again inserts nothing', async () => {
    const w = writer();
    for (let i = 0; i < 300; i++) w.push(makeAlert(i, 'I'));
    await w.close();
    const again = writer();
    for (let i = 0; i < 300; i++) again.push(makeAlert(i, 'I'));
    await again.close();
    expect(again.committed).toBe(300);
    expect(again.inserted).toBe(0);
    expect(await countPrefix('I')).toEqual({ rows: 300, keys: 300 });
  });

  it('reports invalid alerts at the edge and rows Postgres rejects, without holding back the batch', async () => {
    const invalid: string[] = [];
    const rejected: string[] = [];
    const w = writer({
      onInvalid: (_input, reason) => invalid.push(reason),
      onRejected: (a, e) => rejected.push(`${a.dedupe_key} ${e.message}`),
    });
    for (let i = 0; i < 10; i++) w.push(makeAlert(i, 'V'));
    expect(w.push({ ...makeAlert(10, 'V'), price: 12.5 })).toBe('invalid');
    // Valid by the schema, but the table requires a rule alert to have an owner.
    const orphanRule: Alert = { ...makeAlert(11, 'V'), type: 'rule' };
    expect(w.push(orphanRule)).toBe('queued');
    for (let i = 12; i < 20; i++) w.push(makeAlert(i, 'V'));
    await w.close();
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatch(/price/);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatch(/^V:11 .*alerts_rule_has_owner/);
    expect(await countPrefix('V')).toEqual({ rows: 18, keys: 18 });
  });

  it('applies backpressure: full at capacity, drained() once the queue went down', async () => {
    const w = writer({ capacity: 10, batchSize: 1000, flushIntervalMs: 60_000 });
    for (let i = 0; i < 10; i++) expect(w.push(makeAlert(i, 'P'))).toBe('queued');
    expect(w.push(makeAlert(10, 'P'))).toBe('full');
    expect(w.queueDepth).toBe(10);
    const drained = w.drained();
    await w.flush();
    await drained;
    expect(w.queueDepth).toBe(0);
    expect(w.push(makeAlert(10, 'P'))).toBe('queued');
    await w.close();
    expect(await countPrefix('P')).toEqual({ rows: 11, keys: 11 });
  });

  for (const durable of [true, false]) {
    it(`spools while the database is unreachable and replays on reconnect (durable: ${durable})`, async () => {
      const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(db.url).port) });
      try {
        const states: WriterState[] = [];
        const dir = spoolDir();
        const prefix = durable ? 'SD' : 'SN';
        const w = new AlertWriter({
          sql: client(viaProxy(db.url, proxy)),
          spoolDir: dir,
          durable,
          logger: silent,
          batchSize: 100,
          maxBatchSize: 100,
          retryMinMs: 20,
          retryMaxMs: 50,
          insertTimeoutMs: 2_000,
          onStateChange: (s) => states.push(s),
        });
        for (let i = 0; i < 250; i++) w.push(makeAlert(i, prefix));
        await w.flush();
        expect(await countPrefix(prefix)).toEqual({ rows: 250, keys: 250 });

        await proxy.cut();
        for (let i = 250; i < 1000; i++) w.push(makeAlert(i, prefix));
        await w.flush(); // resolves once spooled: the database is away
        expect(w.state).toBe('down');
        expect(jsonl(dir).length).toBeGreaterThan(0);
        expect((await countPrefix(prefix)).rows).toBeLessThan(1000);

        await proxy.restore();
        await new Promise<void>((resolve) => {
          const t = setInterval(() => {
            if (w.state === 'up') {
              clearInterval(t);
              resolve();
            }
          }, 10);
        });
        for (let i = 1000; i < 1100; i++) w.push(makeAlert(i, prefix));
        await w.close();
        expect(states).toContain('down');
        expect(await countPrefix(prefix)).toEqual({ rows: 1100, keys: 1100 });
        expect(jsonl(dir)).toEqual([]);
      } finally {
        await proxy.close();
      }
    });
  }

  for (const durable of [true, false]) {
    it(`close() past its deadline spools the queue and the batch in flight (durable: ${durable})`, async () => {
      const prefix = durable ? 'CD' : 'CN';
      const dir = spoolDir();
      // Hold the table so the writer's insert waits: a database too slow for the SIGTERM budget.
      const locker = await db.sql.reserve();
      await locker`begin`;
      await locker`lock table alerts in exclusive mode`;
      const w = new AlertWriter({ sql: client(), spoolDir: dir, durable, logger: silent, batchSize: 100 });
      try {
        for (let i = 0; i < 250; i++) w.push(makeAlert(i, prefix));
        await w.close({ deadlineMs: 300 });
        expect(w.state).toBe('closed');
        expect(w.durable).toBe(250);
        expect(jsonl(dir).length).toBeGreaterThan(0);
      } finally {
        await locker`rollback`;
        locker.release();
      }
      // The held batch may commit now; replaying the spool adds exactly what is missing.
      const next = new AlertWriter({ sql: client(), spoolDir: dir, logger: silent });
      await next.close();
      expect(await countPrefix(prefix)).toEqual({ rows: 250, keys: 250 });
    });
  }

  it('replays leftover spool files of a previous run before anything else', async () => {
    const dir = spoolDir();
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(db.url).port) });
    await proxy.cut();
    const offline = new AlertWriter({ sql: client(viaProxy(db.url, proxy)), spoolDir: dir, logger: silent });
    for (let i = 0; i < 500; i++) offline.push(makeAlert(i, 'L'));
    await offline.close(); // closes while the database is away: everything stays in the spool
    await proxy.close();
    expect(jsonl(dir).length).toBeGreaterThan(0);
    expect(await countPrefix('L')).toEqual({ rows: 0, keys: 0 });

    const replays: CommitInfo[] = [];
    const next = new AlertWriter({
      sql: client(),
      spoolDir: dir,
      logger: silent,
      onCommit: (c) => replays.push(c),
    });
    await next.close();
    expect(replays.every((c) => c.fromSpool)).toBe(true);
    expect(await countPrefix('L')).toEqual({ rows: 500, keys: 500 });
    expect(jsonl(dir)).toEqual([]);
  });

  it('refuses a spool directory another live writer owns', async () => {
    const dir = spoolDir();
    const w = new AlertWriter({ sql: client(), spoolDir: dir, logger: silent });
    // Same pid owns it here, so simulate another owner by writing pid 1 (always alive: init).
    await w.close();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'LOCK'), '1');
    expect(() => new AlertWriter({ sql: client(), spoolDir: dir, logger: silent })).toThrow(
      /in use by pid 1/,
    );
  });
});
