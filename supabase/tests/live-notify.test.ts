// Change notifications, for real: a postgres.js connection LISTENs while rows are written.
// alerts_live feeds the local dashboard's SSE route; rules_changed and price_triggers_changed make
// the screener reload. The Supabase Realtime branch is exercised with a stand-in `realtime` schema
// created inside a rolled-back transaction (plain Postgres has none), running the migration's own
// policy block against it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAlertNotification, parseAlertNotifications } from '@tradeassist/db/live-alert';
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import type { TransactionSql } from 'postgres';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser, inRolledBack, USER_A, USER_B } from './support/act-as.ts';
import { type Listener, listen } from './support/notifications.ts';

const db = useTestDatabase();
let listeners: Listener[] = [];

beforeAll(async () => {
  await createUser(db.sql, USER_A);
  await createUser(db.sql, USER_B);
});
afterEach(async () => {
  for (const l of listeners) await l.close();
  listeners = [];
});

async function listenOn(channel: string): Promise<Listener> {
  const l = await listen(db.sql, channel);
  listeners.push(l);
  return l;
}

let seq = 0;
function insertAlert(
  sql: { unsafe: TransactionSql['unsafe'] } = db.sql,
  over: { user_id?: string; rule_id?: string; type?: string; details?: unknown } = {},
) {
  seq += 1;
  return sql.unsafe<{ id: string }[]>(
    `insert into public.alerts (user_id, rule_id, symbol, type, ts_event, price, session, score, details, dedupe_key)
     values ($1, $2, 'NVDA', $3, 1700577000123456789, 482.15, 'pre', 0.83, $4, $5) returning id::text`,
    [
      over.user_id ?? null,
      over.rule_id ?? null,
      over.type ?? 'gap_up',
      // postgres.js serialises the object itself for the jsonb parameter.
      over.details ?? { prev_close: '455.00', pct: 5.97 },
      `NVDA:gap_up:${seq}`,
    ] as never,
  );
}

/** The ids a notification names, expanded (ranges are small in these tests). */
function idsOf(raw: string): string[] {
  const out: string[] = [];
  for (const n of parseAlertNotifications(raw)) {
    if (n.kind !== 'ids') throw new Error(`expected id ranges, got ${raw}`);
    for (const [lo, hi] of n.ranges) for (let i = BigInt(lo); i <= BigInt(hi); i++) out.push(String(i));
  }
  return out;
}

describe('alerts_live', () => {
  it('announces a committed alert with the whole alert in the payload (an array of one)', async () => {
    const l = await listenOn('alerts_live');
    const [a] = await insertAlert();
    const raw = await l.next();
    // The live feed's parser accepts it as one whole alert; each element is what the SSE route and
    // the Realtime broadcast carry, one alert per event.
    expect(parseAlertNotifications(raw).map((n) => n.kind)).toEqual(['alert']);
    const [payload] = JSON.parse(raw);
    expect(parseAlertNotification(payload).kind).toBe('alert');
    expect(payload).toMatchObject({
      id: a!.id,
      user_id: null,
      symbol: 'NVDA',
      type: 'gap_up',
      ts_event: '1700577000123456789',
      price: '482.15',
      session: 'pre',
      score: 0.83,
      details: { prev_close: '455.00', pct: 5.97 },
      dedupe_key: `NVDA:gap_up:${seq}`,
    });
    expect(new Date(payload.created_at).getTime()).not.toBeNaN();
  });

  it('sends only the id when the payload would pass the 8000-byte NOTIFY limit', async () => {
    const l = await listenOn('alerts_live');
    const [a] = await insertAlert(db.sql, { details: { note: 'x'.repeat(9000) } });
    const raw = await l.next();
    expect(JSON.parse(raw)).toEqual({ id: a!.id });
    expect(parseAlertNotifications(raw)).toEqual([{ kind: 'id', id: a!.id }]);
  });

  it('announces nothing for a rolled-back insert (the next notification is the committed alert)', async () => {
    const l = await listenOn('alerts_live');
    await inRolledBack(db.sql, (tx) => insertAlert(tx));
    const [a] = await insertAlert();
    expect(JSON.parse(await l.next())).toMatchObject([{ id: a!.id }]);
  });

  it('does not announce a replayed alert again (same dedupe_key, skipped by on conflict)', async () => {
    const [first] = await insertAlert();
    const l = await listenOn('alerts_live');
    const replay =
      await db.sql`insert into public.alerts (symbol, type, ts_event, price, session, score, dedupe_key)
      select symbol, type, ts_event, price, session, score, dedupe_key from public.alerts where id = ${first!.id}
      on conflict (dedupe_key) do nothing`;
    expect(replay.count).toBe(0);
    const [next] = await insertAlert();
    expect(JSON.parse(await l.next())).toMatchObject([{ id: next!.id }]);
  });

  it('announces every alert of a batch insert in one notification, including rule alerts with their owner', async () => {
    const [rule] = await db.sql<{ id: string }[]>`
      insert into public.rules (user_id, name, definition) values (${USER_A}, 'gappers', '{}') returning id`;
    const l = await listenOn('alerts_live');
    await db.sql`insert into public.alerts (user_id, rule_id, symbol, type, ts_event, price, session, score, dedupe_key)
      values (null, null, 'AMD', 'halt', 1, 10, 'regular', 1, 'batch:1'),
             (null, ${rule!.id}, 'AMD', 'rule', 2, 10, 'regular', 0.5, 'batch:2')`;
    const got: { dedupe_key: string; user_id: string | null; rule_id: string | null }[] = JSON.parse(
      await l.next(),
    );
    expect(got.map((p) => [p.dedupe_key, p.user_id, p.rule_id])).toEqual([
      ['batch:1', null, null],
      // The rule's owner was filled in by alerts_check_rule.
      ['batch:2', USER_A, rule!.id],
    ]);
  });
  it('splits a 100-row insert into notifications under 8000 bytes: every alert exactly once', async () => {
    const l = await listenOn('alerts_live');
    const keys = Array.from({ length: 100 }, (_, i) => `split:${i}`); // the whole-alert form's limit
    const huge = 50;
    const ids = (
      await db.sql<{ id: string }[]>`
      insert into public.alerts (symbol, type, ts_event, price, session, score, details, dedupe_key)
      select 'AMD', 'halt', 1, 10.5, 'regular', 1,
             case when k = ${`split:${huge}`} then jsonb_build_object('note', repeat('x', 9000))
                  else jsonb_build_object('k', k) end, k
      from unnest(${keys}::text[]) with ordinality as x(k, o) order by o
      returning id::text`
    ).map((r) => r.id);
    const got: string[] = [];
    let notifications = 0;
    while (got.length < ids.length) {
      const raw = await l.next();
      notifications++;
      expect(Buffer.byteLength(raw)).toBeLessThan(8000);
      for (const n of parseAlertNotifications(raw)) {
        if (n.kind === 'alert') got.push(n.alert.id);
        else if (n.kind === 'id') got.push(n.id);
        else throw new Error(n.reason);
      }
    }
    // Each exactly once (the 9000-byte one by id only, which may overtake its neighbours' array).
    const byId = (a: string, b: string) => Number(a) - Number(b);
    expect([...got].sort(byId)).toEqual([...ids].sort(byId));
    // ~60 bytes of payload per alert here: a few notifications, not one per row.
    expect(notifications).toBeGreaterThan(1);
    expect(notifications).toBeLessThan(30);
  });

  it('announces a statement of more than 100 rows by id ranges: one range for consecutive ids', async () => {
    const [rule] = await db.sql<{ id: string }[]>`
      insert into public.rules (user_id, name, definition) values (${USER_A}, 'many gappers', '{}') returning id`;
    const l = await listenOn('alerts_live');
    const keys = Array.from({ length: 101 }, (_, i) => `many:${i}`);
    const rows = await db.sql<{ id: string }[]>`
      insert into public.alerts (user_id, rule_id, symbol, type, ts_event, price, session, score, dedupe_key)
      select null, case when o = 1 then ${rule!.id}::uuid end, 'AMD', case when o = 1 then 'rule' else 'halt' end,
             o, 10, 'regular', 1, k
      from unnest(${keys}::text[]) with ordinality as x(k, o) order by o
      returning id::text`;
    const raw = await l.next();
    const sorted = rows.map((r) => r.id).sort((a, b) => Number(a) - Number(b));
    expect(JSON.parse(raw)).toEqual({ ids: `${sorted[0]}-${sorted[100]}` });
    expect(idsOf(raw)).toEqual(sorted);
  });

  it('names the ids of interleaved inserts exactly (gaps taken by another statement), in notifications under 8000 bytes', async () => {
    // Every other id: the statement's 1,000 ids are 1,000 separate ranges, as when concurrent inserts
    // interleave, which takes several notifications of at most 150 ranges each.
    const l = await listenOn('alerts_live');
    const [{ last }] = await db.sql<{ last: string }[]>`
      select setval('public.alerts_id_seq', nextval('public.alerts_id_seq') + 10)::text as last`;
    const keys = Array.from({ length: 1000 }, (_, i) => `gap:${i}`);
    const ids = (
      await db.sql<{ id: string }[]>`
      insert into public.alerts (id, symbol, type, ts_event, price, session, score, dedupe_key)
      overriding system value
      select ${last}::bigint + 2 * o, 'AMD', 'halt', 1, 10.5, 'regular', 1, k
      from unnest(${keys}::text[]) with ordinality as x(k, o)
      returning id::text`
    ).map((r) => r.id);
    // Identity inserts after this one must not run into the ids taken by hand.
    await db.sql`select setval('public.alerts_id_seq', (select max(id) from public.alerts))`;
    const got: string[] = [];
    let notifications = 0;
    while (got.length < ids.length) {
      const raw = await l.next();
      notifications++;
      expect(Buffer.byteLength(raw)).toBeLessThan(8000);
      got.push(...idsOf(raw));
    }
    expect(got).toEqual(ids); // each once, in id order
    expect(notifications).toBe(Math.ceil(1000 / 150));
  });
});

describe('rules_changed and price_triggers_changed', () => {
  it('rules: insert, a real change (version bumped) and delete are announced; a no-op save is not', async () => {
    const l = await listenOn('rules_changed');
    const [r] = await db.sql<{ id: string; version: number }[]>`
      insert into public.rules (user_id, name, definition, version) values (${USER_A}, 'r1', '{"a": 1}', 99)
      returning id, version`;
    // The client's version is ignored: the database owns it.
    expect(r!.version).toBe(1);
    expect(JSON.parse(await l.next())).toEqual({ op: 'INSERT', id: r!.id, user_id: USER_A, version: 1 });

    await db.sql`update public.rules set definition = '{"a": 1}' where id = ${r!.id}`;
    const [same] = await db.sql`select version from public.rules where id = ${r!.id}`;
    expect(same!.version).toBe(1);

    await db.sql`update public.rules set enabled = false where id = ${r!.id}`;
    expect(JSON.parse(await l.next())).toEqual({ op: 'UPDATE', id: r!.id, user_id: USER_A, version: 2 });
    await db.sql`delete from public.rules where id = ${r!.id}`;
    // Had the no-op update notified, its payload would arrive here before this one.
    expect(JSON.parse(await l.next())).toEqual({ op: 'DELETE', id: r!.id, user_id: USER_A, version: 2 });
  });

  it('price triggers: every change names the symbol to reload', async () => {
    const l = await listenOn('price_triggers_changed');
    const [t] = await db.sql<{ id: string }[]>`
      insert into public.price_triggers (user_id, symbol, level, direction, kind)
      values (${USER_B}, 'AAPL', 200, 'above', 'custom') returning id`;
    expect(JSON.parse(await l.next())).toEqual({ op: 'INSERT', id: t!.id, symbol: 'AAPL', active: true });
    await db.sql`update public.price_triggers set active = false, fired_at = now(), fired_price = 200.01 where id = ${t!.id}`;
    expect(JSON.parse(await l.next())).toEqual({ op: 'UPDATE', id: t!.id, symbol: 'AAPL', active: false });
  });
});

// The part of the migration that only runs where Supabase Realtime exists.
const MIGRATION = fileURLToPath(
  new URL('../migrations/20261121001100_alerts_access_live.sql', import.meta.url),
);
const REALTIME_POLICY_BLOCK = (() => {
  const m = /-- realtime-policy:begin\n([\s\S]*?)-- realtime-policy:end/.exec(
    readFileSync(MIGRATION, 'utf8'),
  );
  if (!m?.[1]) throw new Error(`realtime policy markers not found in ${MIGRATION}`);
  return m[1];
})();

// The shape of Supabase's realtime.messages / realtime.send / realtime.topic(), just enough to run
// the trigger and the policy; created and dropped in the test's transaction.
async function standInRealtime(tx: TransactionSql, send = 'insert'): Promise<void> {
  await tx.unsafe(`
    create schema realtime;
    create table realtime.messages (
      id bigint generated always as identity, topic text not null, extension text not null,
      event text, payload jsonb, private boolean);
    create function realtime.topic() returns text language sql stable as
      $$ select nullif(current_setting('realtime.topic', true), '') $$;
    create function realtime.send(payload jsonb, event text, topic text, private boolean default true)
      returns void language plpgsql as $$
      begin
        ${send === 'insert' ? 'insert into realtime.messages (topic, extension, event, payload, private) values (topic, $q$broadcast$q$, event, payload, private);' : 'raise exception $q$realtime is down$q$;'}
      end $$;
    alter table realtime.messages enable row level security;
    grant usage on schema realtime to authenticated, anon;
    grant select on realtime.messages to authenticated, anon;`);
}

async function receivable(tx: TransactionSql, user: string | null, topic: string): Promise<number> {
  await tx.unsafe(`set local role ${user ? 'authenticated' : 'anon'}`);
  await tx`select set_config('request.jwt.claims', ${JSON.stringify(user ? { sub: user, role: 'authenticated' } : { role: 'anon' })}, true)`;
  await tx`select set_config('realtime.topic', ${topic}, true)`;
  // As the Realtime server does: messages of the joined topic, filtered by the policies.
  const [row] = await tx<
    { n: number }[]
  >`select count(*)::int as n from realtime.messages where topic = realtime.topic()`;
  await tx.unsafe('reset role');
  return row!.n;
}

describe('Supabase Realtime broadcast (with a stand-in realtime schema)', () => {
  it('broadcasts market-wide alerts on alerts:market and rule alerts on the owner topic, privately', async () => {
    const sent = await inRolledBack(db.sql, async (tx) => {
      await standInRealtime(tx);
      await insertAlert(tx);
      await insertAlert(tx, { user_id: USER_A, type: 'rule' });
      return tx<{ topic: string; event: string; private: boolean; price: string }[]>`
        select topic, event, private, payload ->> 'price' as price from realtime.messages order by id`;
    });
    expect(sent).toEqual([
      { topic: 'alerts:market', event: 'alert', private: true, price: '482.15' },
      { topic: `alerts:user:${USER_A}`, event: 'alert', private: true, price: '482.15' },
    ]);
  });

  it("the migration's policy lets a user receive alerts:market and their own topic only", async () => {
    const seen = await inRolledBack(db.sql, async (tx) => {
      await standInRealtime(tx);
      await tx.unsafe(REALTIME_POLICY_BLOCK);
      await insertAlert(tx);
      await insertAlert(tx, { user_id: USER_A, type: 'rule' });
      const a = `alerts:user:${USER_A}`;
      return {
        marketA: await receivable(tx, USER_A, 'alerts:market'),
        marketB: await receivable(tx, USER_B, 'alerts:market'),
        ownA: await receivable(tx, USER_A, a),
        bOnA: await receivable(tx, USER_B, a),
        anonMarket: await receivable(tx, null, 'alerts:market'),
      };
    });
    expect(seen).toEqual({ marketA: 1, marketB: 1, ownA: 1, bOnA: 0, anonMarket: 0 });
  });

  it('without that policy nobody receives anything (RLS on realtime.messages denies)', async () => {
    const n = await inRolledBack(db.sql, async (tx) => {
      await standInRealtime(tx);
      await insertAlert(tx, { user_id: USER_A, type: 'rule' });
      return receivable(tx, USER_A, `alerts:user:${USER_A}`);
    });
    expect(n).toBe(0);
  });

  it('a failing broadcast does not lose the alert or the local notification', async () => {
    const l = await listenOn('alerts_live');
    let id = '';
    await db.sql.begin(async (tx) => {
      await standInRealtime(tx, 'raise');
      const [a] = await insertAlert(tx);
      id = a!.id;
      // Drop the stand-in again but keep the alert: commit only the alert.
      await tx.unsafe('drop schema realtime cascade');
    });
    expect(JSON.parse(await l.next())).toMatchObject([{ id }]);
    const [row] = await db.sql`select count(*)::int as n from public.alerts where id = ${id}`;
    expect(row!.n).toBe(1);
  });
});
