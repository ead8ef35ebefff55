// The screener's full-queue policy (workers/screener/src/db-sink.ts) against a real Postgres: when
// the AlertWriter's memory queue is full, a finite source is paused until every alert is accepted
// (nothing lost), while a live source is never paused and sheds only past the overflow limit,
// counting and logging every shed alert.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Alert } from '@tradeassist/core/alert';
import { createDb } from '@tradeassist/db';
import { createLogger } from '@tradeassist/runtime/logger';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { DbSink } from '../../workers/screener/src/db-sink.ts';
import { createScreenerMetrics } from '../../workers/screener/src/metrics.ts';

const db = useTestDatabase();
const dir = mkdtempSync(join(tmpdir(), 'ta-screener-bp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alert = (prefix: string, i: number): Alert => ({
  symbol: 'NVDA',
  type: 'volume_spike',
  ts_event: String(1_795_185_000_000_000_000n + BigInt(i)),
  price: '482.15',
  session: 'regular',
  score: 0.5,
  details: { i },
  dedupe_key: `${prefix}:${i}`,
});

function sinkFor(name: string, finite: boolean, overflowMax: number) {
  const lines: string[] = [];
  const logger = createLogger({
    component: 'test',
    destination: new Writable({
      write: (c, _e, cb) => {
        lines.push(c.toString());
        cb();
      },
    }),
  });
  const registry = new Registry();
  const sql = createDb({ url: db.url, application: 'bp-test', max: 2 });
  const sink: DbSink = new DbSink({
    sql,
    spoolDir: join(dir, name),
    logger,
    metrics: createScreenerMetrics(registry, () => sink.queueDepth()),
    finite,
    capacity: 10,
    overflowMax,
  });
  return { sink, sql, lines, registry };
}

const count = async (prefix: string) => {
  const [r] = await db.sql<
    { n: number }[]
  >`select count(*)::int as n from alerts where dedupe_key like ${`${prefix}:%`}`;
  return r!.n;
};

describe('a full alert writer', () => {
  it('pauses a finite source until every alert is accepted: none lost', async () => {
    const { sink, sql } = sinkFor('finite', true, 50);
    for (let i = 0; i < 1000; i++) sink.push(alert('BPF', i)); // one batch far beyond capacity
    const wait = sink.afterBatch();
    expect(wait).toBeInstanceOf(Promise); // the feed waits
    await wait;
    await sink.close(5_000);
    await sql.end();
    expect(await count('BPF')).toBe(1000);
  });

  it('never pauses a live source; past the overflow limit it sheds, counted and logged', async () => {
    const { sink, sql, lines, registry } = sinkFor('live', false, 50);
    for (let i = 0; i < 1000; i++) sink.push(alert('BPL', i));
    expect(sink.afterBatch()).toBeUndefined();
    const shed = 1000 - 10 - 50; // writer capacity, then the overflow list
    const text = await registry.metrics();
    expect(text).toMatch(new RegExp(`ta_screener_alerts_shed_total(\\{[^}]*\\})? ${shed}$`, 'm'));
    expect(lines.filter((l) => l.includes('alert shed')).length).toBeGreaterThan(0);
    await sink.close(5_000);
    await sql.end();
    expect(await count('BPL')).toBe(60);
  });
});
