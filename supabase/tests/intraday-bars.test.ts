// intraday_bars: market data every signed-in user reads and nobody but the service role writes;
// rows keep the shape of a bar (whole minutes, low <= open/close <= high, VWAP only with volume);
// old bars go in batches through a function only the service role may call.
import { useTestDatabase } from '@tradeassist/tests/harness/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { actAs, createUser, pgError, USER_A } from './support/act-as.ts';

const db = useTestDatabase();

beforeAll(async () => {
  await createUser(db.sql, USER_A, '15551110001');
  await db.sql`
    insert into public.intraday_bars (symbol, ts, open, high, low, close, volume, vwap, trade_count)
    values ('NVDA', date_trunc('minute', now()) - interval '2 days', 482.15, 483, 481.5, 482.9, 12000, 482.4, 85)`;
});

const insertAs = (tx: Parameters<Parameters<typeof actAs>[2]>[0]) =>
  tx`insert into public.intraday_bars (symbol, ts, open, high, low, close, volume, vwap, trade_count)
     values ('AMD', '2026-11-20 14:30:00+00', 150, 151, 149, 150.5, 100, 150.2, 3)`;

describe('intraday_bars access', () => {
  it('a signed-in user reads every bar; anon reads none', async () => {
    expect(await actAs(db.sql, USER_A, (tx) => tx`select symbol from public.intraday_bars`)).toHaveLength(1);
    expect(
      await actAs(db.sql, null, (tx) => tx`select symbol from public.intraday_bars`).catch(() => []),
    ).toHaveLength(0);
  });

  it('signed-in users and anon cannot write; without RLS and the revoke they could', async () => {
    expect((await pgError(actAs(db.sql, USER_A, insertAs))).code).toBe('42501');
    expect((await pgError(actAs(db.sql, null, insertAs))).code).toBe('42501');
    expect(
      (await pgError(actAs(db.sql, USER_A, (tx) => tx`delete from public.intraday_bars returning symbol`)))
        .code,
    ).toBe('42501');
    // the guard is the database's: grant the privilege back and drop RLS, and the write goes through
    const rows = await actAs(
      db.sql,
      USER_A,
      (tx) => insertAs(tx).then(() => tx`select symbol from public.intraday_bars where symbol = 'AMD'`),
      {
        before: (tx) =>
          tx.unsafe(
            'grant insert on public.intraday_bars to authenticated; alter table public.intraday_bars disable row level security',
          ),
      },
    );
    expect(rows).toHaveLength(1);
  });
});

describe('intraday_bars shape', () => {
  const bad = async (sql: string) => (await pgError(db.sql.unsafe(sql))).code;
  const row = (over: Partial<Record<string, string>>) => {
    const v = {
      ts: `'2026-11-20 15:00:00+00'`,
      open: '10',
      high: '11',
      low: '9',
      close: '10.5',
      volume: '100',
      vwap: '10.2',
      ...over,
    };
    return `insert into public.intraday_bars (symbol, ts, open, high, low, close, volume, vwap, trade_count)
            values ('XYZ', ${v.ts}, ${v.open}, ${v.high}, ${v.low}, ${v.close}, ${v.volume}, ${v.vwap}, 1)`;
  };
  it('refuses a time inside a minute, a high under the close, a VWAP without volume, a lower-case symbol', async () => {
    expect(await bad(row({ ts: `'2026-11-20 15:00:30+00'` }))).toBe('23514');
    expect(await bad(row({ high: '10' }))).toBe('23514');
    expect(await bad(row({ volume: '0' }))).toBe('23514');
    expect(await bad(row({ vwap: 'null' }))).toBe('23514');
    expect(await bad(row({}).replace("'XYZ'", "'xyz'"))).toBe('23514');
  });
});

describe('purge_old_intraday_bars', () => {
  it('deletes bars older than N days in batches; refuses nonsense and signed-in callers', async () => {
    await db.sql`
      insert into public.intraday_bars (symbol, ts, open, high, low, close, volume, vwap, trade_count)
      select 'OLD', date_trunc('minute', now()) - interval '20 days' + m * interval '1 minute', 5, 5, 5, 5, 10, 5, 1
        from generate_series(0, 4) m`;
    const batches: number[] = [];
    for (;;) {
      const [r] = await db.sql<{ n: number }[]>`select public.purge_old_intraday_bars_batch(10, 2) as n`;
      batches.push(r!.n);
      if (r!.n === 0) break;
    }
    expect(batches).toEqual([2, 2, 1, 0]);
    const left = await db.sql`select symbol from public.intraday_bars order by symbol`;
    expect(left.map((r) => r.symbol)).toEqual(['NVDA']); // 2 days old: kept
    await db.sql`call public.purge_old_intraday_bars(1, 10)`;
    expect(await db.sql`select 1 from public.intraday_bars`).toHaveLength(0);
    expect((await pgError(db.sql`select public.purge_old_intraday_bars_batch(0, 10)`)).code).toBe('22023');
    const err = await pgError(
      actAs(db.sql, USER_A, (tx) => tx`select public.purge_old_intraday_bars_batch(10, 10)`),
    );
    expect(err.code).toBe('42501');
  });
});
