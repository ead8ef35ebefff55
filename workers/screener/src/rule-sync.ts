// Keeps the engine's user rules and price triggers equal to the database: loads them at start,
// reloads on NOTIFY (`rules_changed`, `price_triggers_changed`) through packages/db's listen helper,
// and reloads both after a lost LISTEN connection (notifications are not stored). Reloads coalesce:
// a burst of changes costs one reload in flight plus at most one after it.
//
// Watchlist edits (watchlist_symbols) are not notified: a periodic reload (default every 60 s) picks
// them up, and is the safety net for anything else missed.
//
// A bad rule never stops the screener: the engine skips it and the log names the rule and which
// part of its definition is wrong (ta_screener_rule_errors_total counts them).
import { type Db, type Listener, listen } from '@tradeassist/db';
import type { Logger } from '@tradeassist/runtime/logger';
import type { ScreenerEngine } from '@tradeassist/screener';
import type { ScreenerMetrics } from './metrics.ts';

interface RuleRow {
  id: string;
  user_id: string;
  name: string;
  definition: Record<string, unknown>;
  cooldown_seconds: number;
  channels: string[];
}

interface TriggerRow {
  id: string;
  trade_id: string | null;
  symbol: string;
  level: string;
  direction: string;
}

/** Database channel names -> the rule definition's (the dashboard is `web` in the table). */
const CHANNEL = { web: 'dashboard', sms: 'sms', push: 'push' } as Record<string, string>;

export class RuleSync {
  /** The definitions last handed to the engine (the warm-up screens with the same rules). */
  loaded: { defs: readonly unknown[]; watchlists: Record<string, readonly string[]> } = {
    defs: [],
    watchlists: {},
  };
  private listener: Listener | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly reloads = new Map<'rules' | 'triggers', { running: Promise<void>; again: boolean }>();

  constructor(
    private readonly o: {
      sql: Db;
      url: string;
      engine: ScreenerEngine;
      logger: Logger;
      metrics?: ScreenerMetrics;
      /** Periodic rules reload (watchlist membership); 0 turns it off. */
      refreshMs?: number;
    },
  ) {}

  /** First load of both, then LISTEN. Resolves once loaded and subscribed (or after a load failed: logged). */
  async start(): Promise<void> {
    this.listener = listen({
      url: this.o.url,
      channels: ['rules_changed', 'price_triggers_changed'],
      application: 'screener-listen',
      logger: this.o.logger.child({ component: 'listen' }),
      onNotify: (channel) => this.reload(channel === 'rules_changed' ? 'rules' : 'triggers'),
      onReconnect: () => {
        this.reload('rules');
        this.reload('triggers');
      },
    });
    // Subscribe first, then load: a change committed in between is then either in the load or notified.
    await this.listener.ready;
    this.reload('rules');
    this.reload('triggers');
    await Promise.all([...this.reloads.values()].map((r) => r.running));
    const every = this.o.refreshMs ?? 60_000;
    if (every > 0) {
      this.timer = setInterval(() => this.reload('rules'), every);
      this.timer.unref();
    }
  }

  /** Schedules a reload of `what` (coalesced). */
  reload(what: 'rules' | 'triggers'): void {
    const cur = this.reloads.get(what);
    if (cur) {
      cur.again = true;
      return;
    }
    const entry = { running: Promise.resolve(), again: false };
    entry.running = (async () => {
      do {
        entry.again = false;
        try {
          if (what === 'rules') await this.loadRules();
          else await this.loadTriggers();
        } catch (err) {
          this.o.logger.error({ err, what }, 'reload failed; keeping the previous set');
        }
      } while (entry.again);
      this.reloads.delete(what);
    })();
    this.reloads.set(what, entry);
  }

  async loadRules(): Promise<void> {
    const { sql, engine, logger } = this.o;
    const rows = await sql<RuleRow[]>`
      select id, user_id, name, definition, cooldown_seconds, channels
      from public.rules where enabled order by created_at, id`;
    const watchlistIds = new Set<string>();
    for (const r of rows) {
      const scope = r.definition?.scope as { kind?: unknown; watchlist_id?: unknown } | undefined;
      if (scope?.kind === 'watchlist' && typeof scope.watchlist_id === 'string')
        watchlistIds.add(scope.watchlist_id);
    }
    const watchlists: Record<string, string[]> = {};
    if (watchlistIds.size > 0) {
      const ids = [...watchlistIds];
      const uuid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
      for (const id of uuid) watchlists[id] = [];
      const members = await sql<{ watchlist_id: string; symbol: string }[]>`
        select watchlist_id, symbol from public.watchlist_symbols
        where watchlist_id = any(${uuid}::uuid[]) order by watchlist_id, position`;
      for (const m of members) watchlists[m.watchlist_id]!.push(m.symbol);
    }
    // The row's own columns are authoritative over whatever the definition repeats.
    const defs = rows.map((r) => ({
      ...r.definition,
      id: r.id,
      user_id: r.user_id,
      name: r.name,
      enabled: true,
      cooldown_s: r.cooldown_seconds,
      channels: r.channels.map((c) => CHANNEL[c] ?? c),
    }));
    const report = engine.setRules(defs, { watchlists });
    this.loaded = { defs, watchlists };
    for (const e of report.errors) {
      this.o.metrics?.ruleErrors.inc();
      logger.error(
        {
          rule_id: e.ruleId ?? rows[e.index]?.id,
          rule_name: rows[e.index]?.name,
          issues: e.issues,
        },
        `rule skipped: ${e.issues.map((i) => `${i.path}: ${i.reason}`).join('; ')}`,
      );
    }
    logger.info({ loaded: report.loaded, errors: report.errors.length }, 'rules loaded');
  }

  async loadTriggers(): Promise<void> {
    const { sql, engine, logger } = this.o;
    const rows = await sql<TriggerRow[]>`
      select id, trade_id, symbol, level::text as level, direction
      from public.price_triggers where active`;
    const { armed, errors } = engine.setPriceTriggers(
      rows.map((r) => ({
        id: r.id,
        // a custom level belongs to no trade: it fires (and is marked) without a journal event
        tradeId: r.trade_id ?? 'custom',
        symbol: r.symbol,
        level: r.level,
        direction: r.direction,
      })),
    );
    for (const e of errors) {
      this.o.metrics?.ruleErrors.inc();
      logger.error({ trigger_id: e.id, reason: e.reason }, 'price trigger skipped');
    }
    logger.info({ armed, errors: errors.length }, 'price triggers loaded');
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.listener?.close();
    await Promise.all([...this.reloads.values()].map((r) => r.running));
  }
}
