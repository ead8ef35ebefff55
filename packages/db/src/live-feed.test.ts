import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAlerts } from './alert-insert.ts';
import { createDb, type Db } from './client.ts';
import { type LiveAlert, parseAlertNotifications } from './live-alert.ts';
import { type AlertFeed, createAlertFeed, fetchAlertsAfter, fetchAlertsInRanges } from './live-feed.ts';
import { makeAlert } from './testing/alert-factory.ts';
import { startTcpProxy, type TcpProxy, viaProxy } from './testing/tcp-proxy.ts';

const db = useTestDatabase();
const silent = pino({ level: 'silent' });
let sql: Db;
let feed: AlertFeed;
let proxy: TcpProxy;
const alice = randomUUID();
const bob = randomUUID();

beforeAll(async () => {
  sql = createDb({ url: db.url, max: 4, application: 'live-feed-test' });
  await sql`insert into auth.users (id) values (${alice}), (${bob})`;
  proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(db.url).port) });
  feed = createAlertFeed({ url: viaProxy(db.url, proxy), logger: silent, retryMaxMs: 50 });
});

afterAll(async () => {
  await feed.close();
  await proxy.close();
  await sql.end({ timeout: 1 });
});

async function until(pred: () => boolean): Promise<void> {
  while (!pred()) await new Promise((r) => setTimeout(r, 10));
}

let n = 0;
/** Inserts `count` alerts; returns their ids in insertion order. */
async function insert(count: number, userId: string | null = null): Promise<string[]> {
  const alerts = Array.from({ length: count }, () => ({ ...makeAlert(n++, 'F'), user_id: userId }));
  await insertAlerts(sql, alerts);
  const keys = alerts.map((a) => a.dedupe_key);
  const rows = await sql<
    { id: string }[]
  >`select id::text from alerts where dedupe_key = any(${keys}) order by alerts.id`;
  return rows.map((r) => r.id);
}

async function maxId(): Promise<string> {
  const [r] = await sql<{ m: string }[]>`select coalesce(max(id), 0)::text as m from alerts`;
  return r!.m;
}

describe('live alert feed', () => {
  it('delivers a committed alert live, exactly as stored', async () => {
    const got: LiveAlert[] = [];
    const sub = await feed.subscribe({ afterId: null, userId: null, onAlert: (a) => got.push(a) });
    const [id] = await insert(1);
    await until(() => got.length === 1);
    sub.close();
    const a = got[0]!;
    expect(a.id).toBe(id);
    // makeAlert(0): price 100.000000000 is printed without its trailing zeros.
    expect(a).toMatchObject({
      symbol: 'S0',
      type: 'volume_spike',
      price: '100',
      ts_event: '1700577000000000000',
    });
    expect(a.user_id).toBeNull();
  });

  it.each([
    ['100 rows: whole alerts in the notifications, the large one by id', 100],
    ['400 rows: announced by id ranges and read back', 400],
  ])('delivers every alert of an insert of %s exactly once, in id order', async (_label, count) => {
    const got: string[] = [];
    const sub = await feed.subscribe({ afterId: null, userId: null, onAlert: (a) => got.push(a.id) });
    const alerts = Array.from({ length: count }, (_, i) => {
      const a = makeAlert(n++, 'F');
      // Too large for any notification: announced by id, read back from the table.
      return i === 50 ? { ...a, details: { note: 'x'.repeat(9000) } } : a;
    });
    await insertAlerts(sql, alerts);
    const rows = await sql<{ id: string }[]>`
      select id::text from alerts where dedupe_key = any(${alerts.map((a) => a.dedupe_key)}) order by alerts.id`;
    const ids = rows.map((r) => r.id);
    await until(() => got.length >= ids.length);
    sub.close();
    if (count > 100) expect(got).toEqual(ids);
    else expect([...got].sort()).toEqual([...ids].sort()); // the large one may overtake its array
  });

  it('resumes after a Last-Event-ID: the back-fill, then live, no gap and no duplicate', async () => {
    const before = await insert(5);
    const got: string[] = [];
    // Alerts keep arriving while the subscriber back-fills: the race the feed must close.
    const writing = (async () => {
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) ids.push(...(await insert(3)));
      return ids;
    })();
    const sub = await feed.subscribe({ afterId: before[1]!, userId: null, onAlert: (a) => got.push(a.id) });
    const during = await writing;
    const after = await insert(2);
    const expected = [...before.slice(2), ...during, ...after];
    await until(() => got.length >= expected.length);
    await insert(1).then(([last]) => until(() => got.includes(last!)));
    sub.close();
    expect(new Set(got).size).toBe(got.length);
    expect(got.slice(0, expected.length).sort()).toEqual([...expected].sort());
  });

  it("shows a user market-wide alerts and their own rule alerts, never someone else's", async () => {
    const start = await maxId();
    const forAlice: string[] = [];
    const marketOnly: string[] = [];
    const a = await feed.subscribe({ afterId: start, userId: alice, onAlert: (x) => forAlice.push(x.id) });
    const m = await feed.subscribe({ afterId: start, userId: null, onAlert: (x) => marketOnly.push(x.id) });
    const market = await insert(2);
    const alices = await insert(1, alice);
    const bobs = await insert(1, bob);
    const fence = await insert(1);
    await until(() => forAlice.includes(fence[0]!) && marketOnly.includes(fence[0]!));
    a.close();
    m.close();
    expect(forAlice).toEqual([...market, ...alices, ...fence]);
    expect(marketOnly).toEqual([...market, ...fence]);
    expect(forAlice).not.toContain(bobs[0]);
  });

  it('back-fills what was committed while its LISTEN connection was down', async () => {
    const got: string[] = [];
    const sub = await feed.subscribe({ afterId: null, userId: null, onAlert: (a) => got.push(a.id) });
    const first = await insert(1);
    await until(() => got.length === 1);
    await proxy.cut();
    await until(() => feed.state === 'reconnecting');
    const missed = await insert(4); // NOTIFY goes to nobody: only the table has them
    await proxy.restore();
    await until(() => got.length === 5);
    const later = await insert(1);
    await until(() => got.length === 6);
    sub.close();
    expect(got).toEqual([...first, ...missed, ...later]);
  });
});

describe('parseAlertNotifications', () => {
  const alert = (id: string) => ({
    ...makeAlert(Number(id), 'P'),
    id,
    user_id: null,
    created_at: '2026-11-21T14:30:00.000001+00:00',
    price: '100.500000000',
  });

  it('reads a batched array, a single alert and the id-only fallback', () => {
    expect(
      parseAlertNotifications(JSON.stringify([alert('1'), alert('2')])).map((x) =>
        x.kind === 'alert' ? [x.alert.id, x.alert.price] : x.kind,
      ),
    ).toEqual([
      ['1', '100.5'],
      ['2', '100.5'],
    ]);
    expect(parseAlertNotifications(JSON.stringify(alert('3'))).map((x) => x.kind)).toEqual(['alert']);
    expect(parseAlertNotifications('{"id":"42"}')).toEqual([{ kind: 'id', id: '42' }]);
  });

  it("reads the trigger's id ranges", () => {
    expect(parseAlertNotifications('{"ids":"41-87,90,93-120"}')).toEqual([
      {
        kind: 'ids',
        ranges: [
          ['41', '87'],
          ['90', '90'],
          ['93', '120'],
        ],
      },
    ]);
    expect(parseAlertNotifications('{"ids":"9223372036854775806-9223372036854775807"}')).toEqual([
      { kind: 'ids', ranges: [['9223372036854775806', '9223372036854775807']] },
    ]);
    for (const bad of ['{"ids":""}', '{"ids":"1-"}', '{"ids":"1,,2"}', '{"ids":"a"}', '{"ids":"9-3"}'])
      expect(parseAlertNotifications(bad).map((x) => x.kind)).toEqual(['invalid']);
  });

  it('reports a bad element without losing the others, and a payload that is not JSON', () => {
    const r = parseAlertNotifications(JSON.stringify([alert('1'), { id: 'x' }, alert('2')]));
    expect(r.map((x) => x.kind)).toEqual(['alert', 'invalid', 'alert']);
    expect(r[1]!.kind === 'invalid' && r[1]!.reason).toMatch(/^\[1\]/);
    expect(parseAlertNotifications('[{').map((x) => x.kind)).toEqual(['invalid']);
  });
});

// Last: it moves the id sequence, which the tests above do not expect.
describe('live alert back-fill order', () => {
  it('back-fills in numeric id order across a digit boundary (ids are text in the result)', async () => {
    // ids from just below the next power of ten: as text, "100" sorts before "98"
    const top = Number(await maxId());
    const start = 10 ** Math.ceil(Math.log10(top + 10)) - 3;
    await sql`select setval('public.alerts_id_seq', ${start})`;
    const ids = await insert(6);
    expect(ids.map(Number)).toEqual([1, 2, 3, 4, 5, 6].map((k) => start + k));
    const paged: string[] = [];
    let after = String(start);
    for (;;) {
      const page = await fetchAlertsAfter(sql, after, { all: true }, 4);
      if (page.length === 0) break;
      paged.push(...page.map((a) => a.id));
      after = page.at(-1)!.id;
    }
    expect(paged).toEqual(ids);
    const ranged = await fetchAlertsInRanges(sql, [[ids[0]!, ids[5]!]]);
    expect(ranged.map((a) => a.id)).toEqual(ids);
  });
});
