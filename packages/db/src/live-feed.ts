// The live alert feed of one server process: one LISTEN connection on `alerts_live` fanned out to
// every subscriber (each SSE client), plus resume. A subscriber that names the last id it has gets
// the alerts after it from the table first, then the live ones, with no gap and no duplicate:
//   1. it is registered first, so live alerts arriving during the back-fill are buffered;
//   2. the back-fill reads id > last from the table, page by page;
//   3. the buffer is then delivered, minus what the back-fill already sent (by id, not by a
//      maximum: a transaction that took a smaller id can commit after a larger one), minus ids
//      up to the client's last one (late notifications of rows it already has).
// Limit: ids are taken at insert and become visible at commit, so with several concurrent writers
// an id below the client's last one can commit after it; such an alert reaches a client that is
// connected, but one resuming across exactly that moment does not get it from the back-fill.
// When the LISTEN connection itself drops, the feed back-fills from the last id it saw and every
// subscriber drops ids it already sent.
// Notifications name the ids of each insert statement (ranges); the rows are read with one query per
// notification, one notification after another so alerts go out in the order they were announced.
// A read that fails is retried (the stream waits rather than skipping alerts). While nobody is
// subscribed nothing is read: the feed only moves its last id on.
import type { Logger } from 'pino';
import { createDb, type Db } from './client.ts';
import { type Listener, type ListenerState, listen } from './listen.ts';
import {
  ALERTS_CHANNEL,
  compareIds,
  type IdRange,
  isVisibleTo,
  type LiveAlert,
  liveAlertSchema,
  normalizeLiveAlert,
  parseAlertNotifications,
} from './live-alert.ts';
import { dbLogger } from './log.ts';
import { TimeoutError, withTimeout } from './timeout.ts';

export interface FeedSubscriber {
  /** Last alert id the client has (SSE Last-Event-ID); null: live alerts only. */
  afterId: string | null;
  /** Whose rule alerts to include besides market-wide ones; null: market-wide only. */
  userId: string | null;
  onAlert: (alert: LiveAlert) => void;
}

export interface FeedSubscription {
  close(): void;
}

export interface AlertFeed {
  /** Resolves once the back-fill was delivered and the subscriber receives live alerts. */
  subscribe(s: FeedSubscriber): Promise<FeedSubscription>;
  readonly state: ListenerState;
  readonly subscribers: number;
  close(): Promise<void>;
}

const PAGE = 500;
/** postgres.js can wait forever on a connection that never completes (a server starting up). */
const QUERY_TIMEOUT_MS = 10_000;
const RECENT_IDS = 10_000;
const DISPATCH_SLICE = 250;

export function createAlertFeed(opts: {
  url: string;
  logger?: Logger;
  /** Override the listener's back-off (tests). */
  retryMaxMs?: number;
}): AlertFeed {
  const log = opts.logger ?? dbLogger('live-feed');
  const newSql = () => createDb({ url: opts.url, max: 4, application: 'live-feed' });
  let sql = newSql();
  // A timed-out query may sit on a connection that never recovers: start over with a new pool.
  const renewAfter = (e: unknown) => {
    if (!(e instanceof TimeoutError)) return;
    const old = sql;
    sql = newSql();
    old.end({ timeout: 0 }).catch(() => {});
  };
  const subs = new Set<Sub>();
  let lastId: string | null = null;
  let closed = false;

  const dispatch = (a: LiveAlert) => {
    if (lastId === null || compareIds(a.id, lastId) > 0) lastId = a.id;
    for (const s of subs) s.offer(a);
  };

  // Announced ids are read in notification order, one query at a time.
  let reads = Promise.resolve();
  const announce = (ranges: IdRange[]) => {
    reads = reads.then(async () => {
      if (subs.size === 0) {
        // Nobody to send to: remember how far the stream got (for a reconnect back-fill) and read nothing.
        for (const [, hi] of ranges) if (lastId === null || compareIds(hi, lastId) > 0) lastId = hi;
        return;
      }
      for (let delay = 100; !closed; delay = Math.min(delay * 2, 2_000)) {
        try {
          const rows = await fetchAlertsInRanges(sql, ranges);
          // A statement can hold thousands of alerts: hand them out a few hundred at a time, letting
          // I/O run in between, so each client's stream drains as it goes instead of queueing them
          // all at once (a client with 5,000 unsent events is cut off as too slow).
          for (let i = 0; i < rows.length; i++) {
            dispatch(rows[i]!);
            if (i % DISPATCH_SLICE === DISPATCH_SLICE - 1) await new Promise((r) => setImmediate(r));
          }
          return;
        } catch (e) {
          renewAfter(e);
          log.warn(
            { err: { message: (e as Error).message }, ranges: ranges.length, retryMs: delay },
            'cannot read announced alerts yet',
          );
          await new Promise((r) => setTimeout(r, delay));
        }
      }
    });
  };

  let backfills = Promise.resolve();
  const backfillUntilDone = async (from: string) => {
    let cursor = from;
    for (let delay = 100; !closed; delay = Math.min(delay * 2, 2_000)) {
      try {
        for (;;) {
          const rows = await fetchAlertsAfter(sql, cursor, { all: true }, PAGE);
          for (const r of rows) dispatch(r);
          if (rows.length < PAGE) return;
          cursor = rows[rows.length - 1]!.id;
        }
      } catch (e) {
        // The server may still be starting up: the gap must be filled, so try again.
        renewAfter(e);
        log.warn(
          { err: { message: (e as Error).message }, from, retryMs: delay },
          'back-fill after reconnect failed',
        );
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  };

  const listener: Listener = listen({
    url: opts.url,
    channels: [ALERTS_CHANNEL],
    application: 'live-feed-listen',
    logger: log,
    ...(opts.retryMaxMs ? { retryMaxMs: opts.retryMaxMs } : {}),
    onNotify: (_channel, payload) => {
      for (const n of parseAlertNotifications(payload)) {
        if (n.kind === 'ids') announce(n.ranges);
        else if (n.kind === 'id') announce([[n.id, n.id]]);
        else if (n.kind === 'alert') reads = reads.then(() => dispatch(n.alert));
        else log.error({ reason: n.reason }, 'invalid alerts_live payload');
      }
    },
    onReconnect: () => {
      // Captured now: live notifications after the reconnection move lastId past the gap.
      const from = lastId;
      if (from === null) return;
      backfills = backfills.then(() => backfillUntilDone(from));
    },
  });

  // Where the feed starts: anything after this id and before LISTEN was up would be missed by a
  // reconnect back-fill, so take the maximum only once we listen.
  const ready = listener.ready.then(async () => {
    for (;;) {
      try {
        const q = sql<{ max: string | null }[]>`select max(id)::text as max from public.alerts`;
        const [row] = await withTimeout(q, QUERY_TIMEOUT_MS, 'live feed start', () => q.cancel());
        if (lastId === null) lastId = row?.max ?? '0';
        return;
      } catch (e) {
        if (closed) return;
        renewAfter(e);
        log.warn({ err: { message: (e as Error).message } }, 'live feed start: database unavailable');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  });

  return {
    get state() {
      return listener.state;
    },
    get subscribers() {
      return subs.size;
    },
    async subscribe(s) {
      await ready;
      const sub = new Sub(s);
      subs.add(sub);
      try {
        if (s.afterId !== null) {
          let cursor = s.afterId;
          for (;;) {
            const rows = await fetchAlertsAfter(sql, cursor, { userId: s.userId }, PAGE);
            for (const r of rows) sub.send(r);
            if (rows.length < PAGE) break;
            cursor = rows[rows.length - 1]!.id;
          }
        }
        sub.goLive();
      } catch (e) {
        subs.delete(sub);
        renewAfter(e);
        throw new Error(`live feed back-fill after id ${s.afterId} failed: ${(e as Error).message}`, {
          cause: e,
        });
      }
      return { close: () => subs.delete(sub) };
    },
    async close() {
      closed = true;
      subs.clear();
      await listener.close();
      await sql.end({ timeout: 1 });
    },
  };
}

class Sub {
  private buffer: LiveAlert[] | null = [];
  private readonly sent = new Set<string>();
  constructor(private readonly s: FeedSubscriber) {}

  offer(a: LiveAlert): void {
    if (this.buffer) this.buffer.push(a);
    else this.send(a);
  }

  goLive(): void {
    const b = this.buffer ?? [];
    this.buffer = null;
    for (const a of b) this.send(a);
  }

  send(a: LiveAlert): void {
    if (!isVisibleTo(a, this.s.userId) || this.sent.has(a.id)) return;
    // The client has everything up to its Last-Event-ID; NOTIFY is delivered asynchronously, so
    // notifications of rows it already has can still be on their way when it subscribes.
    if (this.s.afterId !== null && compareIds(a.id, this.s.afterId) <= 0) return;
    this.sent.add(a.id);
    if (this.sent.size > RECENT_IDS) {
      const oldest = this.sent.values().next().value;
      if (oldest !== undefined) this.sent.delete(oldest);
    }
    this.s.onAlert(a);
  }
}

const COLUMNS = `id::text as id, user_id::text as user_id, rule_id::text as rule_id, symbol, type,
  ts_event::text as ts_event, price::text as price, session, score, details, dedupe_key,
  to_json(created_at) #>> '{}' as created_at`;

/** Alerts after `afterId`, oldest first, visible to `userId` (or all, for the feed's own back-fill). */
export async function fetchAlertsAfter(
  sql: Db,
  afterId: string,
  who: { userId: string | null } | { all: true },
  limit: number,
): Promise<LiveAlert[]> {
  const q =
    'all' in who
      ? sql.unsafe(`select ${COLUMNS} from public.alerts where id > $1::bigint order by alerts.id limit $2`, [
          afterId,
          limit,
        ])
      : sql.unsafe(
          `select ${COLUMNS} from public.alerts
           where id > $1::bigint and (user_id is null or user_id = $2::uuid) order by alerts.id limit $3`,
          [afterId, who.userId, limit],
        );
  const rows = await withTimeout(q, QUERY_TIMEOUT_MS, `alerts after ${afterId}`, () => q.cancel());
  return rows.map(toLiveAlert);
}

/** The alerts whose ids fall in the (inclusive) ranges, oldest first. */
export async function fetchAlertsInRanges(sql: Db, ranges: readonly IdRange[]): Promise<LiveAlert[]> {
  const q = sql.unsafe(
    `select ${COLUMNS} from unnest($1::bigint[], $2::bigint[]) as r (lo, hi)
     join public.alerts on id between r.lo and r.hi order by alerts.id`,
    [ranges.map((r) => r[0]), ranges.map((r) => r[1])] as never,
  );
  const rows = await withTimeout(q, QUERY_TIMEOUT_MS, `alerts in ${ranges.length} id ranges`, () =>
    q.cancel(),
  );
  return rows.map(toLiveAlert);
}

function toLiveAlert(row: unknown): LiveAlert {
  const r = row as Record<string, unknown>;
  if (r.rule_id === null) delete r.rule_id;
  const p = liveAlertSchema.safeParse(r);
  if (!p.success)
    throw new Error(`alerts row ${String(r.id)} does not match the alert schema: ${p.error.message}`);
  return normalizeLiveAlert(p.data);
}
