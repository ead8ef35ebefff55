// The alert dispatcher: starts one `alertNotification` workflow for each committed alert that some
// trader may want by SMS or push, and none for the rest of the market's noise.
//
// How it learns of alerts: LISTEN on `alerts_live` is only a wake-up (the payload is not read);
// each pass asks the table for ids above its scan position, so a lost notification, a dropped
// connection or a restart loses nothing. The filter runs in SQL: an alert for a symbol nobody
// watches costs one hash probe inside Postgres and never reaches this process.
//
// Exactly one workflow per alert: the workflow id is the alert id with REJECT_DUPLICATE, so starting
// an alert twice (a re-scan, a restart, two dispatchers) is harmless. Missing one is what the
// cursor guards against. Identity ids are taken at insert and become visible at commit, so an alert
// with a smaller id can commit after a larger one was seen. The pass therefore keeps two positions:
//   - `scanned`: everything up to it was looked at once (the fast path, right after each commit);
//   - `durable` (notification_cursors): everything up to it was looked at again at least
//     `settleMs` after it was first scanned, by which time any transaction that took an id below it
//     has committed or rolled back (the AlertWriter's transactions last milliseconds). The settle
//     re-scan starts only ids the fast path did not start. After a restart the dispatcher resumes
//     at `durable`: the ids between it and the old `scanned` are offered again and Temporal
//     answers "already started".
import type { Db } from '@tradeassist/db';
import { ALERTS_CHANNEL, type Listener, listen } from '@tradeassist/db';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface AlertDispatcherOptions {
  sql: Db;
  /** For the LISTEN connection (a direct connection: LISTEN does not survive a transaction pooler). */
  listenUrl: string;
  /** False when this worker has no VAPID keys: push is then never planned, so it wants nothing. */
  pushEnabled: boolean;
  /** Starts the alert's workflow: 'duplicate' when one exists or existed. */
  start: (alertId: string) => Promise<'started' | 'duplicate'>;
  logger: Logger;
  /** notification_cursors.name. */
  name?: string;
  /** Ids per range scan. */
  chunk?: number;
  settleMs?: number;
  /** A pass at least this often, notified or not (settling needs passes; NOTIFY may be lost). */
  pollMs?: number;
  /** Workflow starts in flight at once. */
  concurrency?: number;
  registry?: Registry;
}

export interface AlertDispatcher {
  /** Resolves once the cursor is loaded, LISTEN is subscribed and the first pass ran. */
  readonly ready: Promise<void>;
  readonly position: { scanned: string; durable: string };
  /** Runs a pass now and resolves when it is done (tests, shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_NAME = 'alert-notifications';

export function startAlertDispatcher(opts: AlertDispatcherOptions): AlertDispatcher {
  const { sql, logger: log } = opts;
  const name = opts.name ?? DEFAULT_NAME;
  const chunk = BigInt(opts.chunk ?? 50_000);
  const settleMs = opts.settleMs ?? 10_000;
  const pollMs = opts.pollMs ?? 2_000;
  const concurrency = opts.concurrency ?? 16;
  const metrics = opts.registry ? createMetrics(opts.registry) : null;
  const pushEnabled = opts.pushEnabled;

  let scanned = 0n;
  let durable = 0n;
  /** Ids above `durable` this process started (or found started): the settle re-scan skips them. */
  const offered = new Set<string>();
  /** (time, scanned) after each pass: the settle position is the newest one older than settleMs. */
  const marks: { at: number; hi: bigint }[] = [];
  let stopped = false;
  let listener: Listener | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;

  // One pass at a time; wake-ups during a pass ask for one more, never for a queue of them.
  let running: Promise<void> | null = null;
  let again = false;
  const wake = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await pass();
          failures = 0;
        } catch (e) {
          if (stopped) break; // shutdown cut the pass short; the next start resumes at the cursor
          failures++;
          log.warn({ err: { message: (e as Error).message }, failures }, 'dispatch pass failed; will retry');
          // The next poll retries; back off a little so a Temporal outage is not hammered.
          await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** failures, pollMs)));
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
    return running;
  };

  async function pass(): Promise<void> {
    const [top] = await sql<{ hi: string | null }[]>`select max(id)::text as hi from public.alerts`;
    const hi = BigInt(top?.hi ?? '0');
    while (scanned < hi && !stopped) {
      const upper = scanned + chunk < hi ? scanned + chunk : hi;
      await offer(await wanted(scanned, upper), false);
      scanned = upper;
    }
    const now = Date.now();
    marks.push({ at: now, hi: scanned });
    let settleTo = durable;
    while (marks.length > 0 && marks[0]!.at <= now - settleMs) settleTo = marks.shift()!.hi;
    if (settleTo > durable) {
      // Late commits below what the fast path already passed.
      await offer(await wanted(durable, settleTo), true);
      durable = settleTo;
      await sql`update public.notification_cursors set last_alert_id = ${durable.toString()}
                where name = ${name} and last_alert_id < ${durable.toString()}`;
      for (const id of offered) if (BigInt(id) <= durable) offered.delete(id);
    }
    metrics?.scanned.set(Number(scanned));
    metrics?.durable.set(Number(durable));
  }

  /**
   * Ids in (lo, hi] that some trader can be reached for by SMS or push; the rest never leave
   * Postgres. Mirrors the delivery policy's static part (channels, min_score, a verified and
   * opted-in phone, a push subscription); what depends on the moment (mutes, quiet hours, the
   * rate limit) is the workflow's to decide.
   */
  async function wanted(lo: bigint, hi: bigint): Promise<string[]> {
    const rows = await sql<{ id: string }[]>`
      select a.id::text as id from public.alerts a
      where a.id > ${lo.toString()} and a.id <= ${hi.toString()}
        -- Cheap first cut, a hashed subplan: the alert's owner, or a symbol anybody watches.
        and (a.user_id is not null or a.symbol in (select ws.symbol from public.watchlist_symbols ws))
        and exists (
          select 1
          from public.profiles p
          cross join lateral (
            select coalesce(
              -- A rule alert follows its rule's channels, or the owner's map once the rule is gone.
              (select to_jsonb(r.channels) from public.rules r where r.id = a.rule_id),
              p.channels -> a.type, p.channels -> 'default', '[]'::jsonb) as ch
          ) c
          where (case when a.user_id is not null then p.id = a.user_id
                      else p.id in (select ws.user_id from public.watchlist_symbols ws where ws.symbol = a.symbol)
                           and (a.type in ('halt', 'resume') or a.score >= p.min_score) end)
            and ((c.ch ? 'sms' and p.phone_verified and p.sms_opt_in = 'opted_in')
                 or (${pushEnabled}::boolean and c.ch ? 'push'
                     and exists (select 1 from public.push_subscriptions s where s.user_id = p.id))))
      order by a.id`;
    return rows.map((r) => r.id);
  }

  async function offer(ids: string[], settling: boolean): Promise<void> {
    const todo = settling ? ids.filter((id) => !offered.has(id)) : ids;
    for (let i = 0; i < todo.length && !stopped; i += concurrency) {
      const batch = todo.slice(i, i + concurrency);
      // A failed start stops the pass before the scan position moves past it: the next pass
      // offers the batch again (the ones that did start answer 'duplicate').
      const results = await Promise.all(batch.map((id) => opts.start(id)));
      results.forEach((r, j) => {
        offered.add(batch[j]!);
        metrics?.starts.inc({ result: r });
        if (r === 'started' && settling) log.info({ alert_id: batch[j] }, 'late-committed alert dispatched');
      });
    }
    if (stopped) throw new Error('dispatcher stopped during a pass');
  }

  const ready = (async () => {
    // A new installation starts at the current end of the table: old alerts are not news.
    await sql`
      insert into public.notification_cursors (name, last_alert_id)
      values (${name}, (select coalesce(max(id), 0) from public.alerts))
      on conflict (name) do nothing`;
    const [row] = await sql<{ last: string }[]>`
      select last_alert_id::text as last from public.notification_cursors where name = ${name}`;
    durable = BigInt(row?.last ?? '0');
    scanned = durable;
    log.info({ cursor: durable.toString() }, 'alert dispatcher resuming');
    listener = listen({
      url: opts.listenUrl,
      channels: [ALERTS_CHANNEL],
      application: 'alert-dispatcher',
      onNotify: () => void wake(),
      // Notifications sent while nobody listened are gone; the table still has the alerts.
      onReconnect: () => void wake(),
      logger: log,
    });
    await listener.ready;
    await wake();
    timer = setInterval(() => void wake(), pollMs);
    timer.unref();
  })();

  return {
    ready,
    get position() {
      return { scanned: scanned.toString(), durable: durable.toString() };
    },
    async flush() {
      await ready;
      await wake();
      // A wake-up that arrived during that pass runs one more.
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await listener?.close();
      await running?.catch(() => {});
    },
  };
}

function createMetrics(registry: Registry) {
  return {
    starts: new Counter({
      name: 'alert_dispatcher_starts_total',
      help: 'alertNotification starts by result (started, duplicate)',
      labelNames: ['result'],
      registers: [registry],
    }),
    scanned: new Gauge({
      name: 'alert_dispatcher_scanned_id',
      help: 'highest alert id the dispatcher has looked at',
      registers: [registry],
    }),
    durable: new Gauge({
      name: 'alert_dispatcher_cursor_id',
      help: 'durable cursor: every alert id up to it is settled',
      registers: [registry],
    }),
  };
}
