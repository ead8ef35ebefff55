// LISTEN that outlives its connection. postgres.js re-subscribes once after a drop and gives up
// silently if the server is still away; this keeps trying with back-off, and tells the caller each
// time it is subscribed again so the caller can back-fill, from the table, whatever was notified
// while nobody listened (NOTIFY is not stored).
import postgres, { type Sql } from 'postgres';
import { redactUrl } from './client.ts';
import { dbLogger, type Logger } from './log.ts';
import { withTimeout } from './timeout.ts';

export type ListenerState = 'connecting' | 'listening' | 'reconnecting' | 'closed';

export interface ListenOptions {
  url: string;
  channels: readonly string[];
  application?: string;
  onNotify: (channel: string, payload: string) => void;
  /** Subscribed again after a loss: everything notified in between was missed. Not called the first time. */
  onReconnect?: () => void;
  onStateChange?: (state: ListenerState) => void;
  retryMinMs?: number;
  retryMaxMs?: number;
  /** A connection attempt (or ping) not answered by then is abandoned and retried. */
  attemptTimeoutMs?: number;
  /** A cheap query at this interval notices a dead connection the kernel has not reported yet. */
  pingIntervalMs?: number;
  logger?: Logger;
}

export interface Listener {
  readonly state: ListenerState;
  /** Resolves once subscribed for the first time (never rejects; keeps retrying). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export function listen(opts: ListenOptions): Listener {
  const log = opts.logger ?? dbLogger('listen');
  const minMs = opts.retryMinMs ?? 100;
  const maxMs = opts.retryMaxMs ?? 5_000;
  let state: ListenerState = 'connecting';
  let closed = false;
  let everListened = false;
  let retryMs = minMs;
  let retryTimer: NodeJS.Timeout | undefined;
  let subscribing = false;
  let again = false;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    markReady = r;
  });

  const setState = (s: ListenerState) => {
    if (s === state) return;
    state = s;
    opts.onStateChange?.(s);
  };

  // A fresh client per attempt: a postgres.js client whose connection attempt got stuck (a server
  // still starting up, a half-open socket) can wait forever, so a failed attempt is thrown away.
  let sql: Sql | undefined;
  const timeoutMs = opts.attemptTimeoutMs ?? 10_000;
  const newClient = (): Sql => {
    const client: Sql = postgres(opts.url, {
      max: 1,
      idle_timeout: null,
      max_lifetime: null,
      fetch_types: false,
      connect_timeout: Math.ceil(timeoutMs / 1000),
      onnotice: () => {},
      connection: { application_name: opts.application ?? 'listen' },
      onnotify: (channel: string, payload: string) => {
        try {
          opts.onNotify(channel, payload);
        } catch (e) {
          log.error({ err: { message: (e as Error).message }, channel }, 'notification handler threw');
        }
      },
      onclose: () => {
        // Only the live subscription's loss counts; failed attempts are retried by subscribe().
        if (closed || client !== sql || state !== 'listening') return;
        log.warn({ url: redactUrl(opts.url) }, 'listen connection lost; resubscribing');
        setState('reconnecting');
        schedule(0);
      },
    } as unknown as postgres.Options<Record<string, never>>);
    return client;
  };
  const discard = (client: Sql | undefined) => {
    client?.end({ timeout: 0 }).catch(() => {});
  };

  const subscribe = async () => {
    if (closed) return;
    if (subscribing) {
      again = true;
      return;
    }
    subscribing = true;
    discard(sql);
    const client = newClient();
    sql = client;
    try {
      await withTimeout(
        (async () => {
          for (const ch of opts.channels) await client.unsafe(`listen "${ch.replace(/"/g, '""')}"`);
        })(),
        timeoutMs,
        `listen on ${opts.channels.join(', ')}`,
      );
      retryMs = minMs;
      setState('listening');
      if (everListened) {
        log.info({ channels: opts.channels }, 'listening again');
        safe(() => opts.onReconnect?.());
      } else {
        everListened = true;
        markReady();
      }
    } catch (e) {
      discard(client);
      if (closed) return;
      log.warn({ err: { message: (e as Error).message }, retryMs }, 'listen failed; retrying');
      setState(everListened ? 'reconnecting' : 'connecting');
      schedule(retryMs);
      retryMs = Math.min(retryMs * 2, maxMs);
    } finally {
      subscribing = false;
      if (again) {
        again = false;
        schedule(0);
      }
    }
  };

  const schedule = (ms: number) => {
    if (closed) return;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void subscribe(), ms);
  };

  const safe = (f: () => void) => {
    try {
      f();
    } catch (e) {
      log.error({ err: { message: (e as Error).message } }, 'reconnect handler threw');
    }
  };

  const ping = setInterval(() => {
    const client = sql;
    if (state !== 'listening' || !client) return;
    withTimeout(client`select 1`, timeoutMs, 'listen ping').catch(() => {
      if (closed || client !== sql || state !== 'listening') return;
      log.warn('listen connection unresponsive; resubscribing');
      setState('reconnecting');
      schedule(0);
    });
  }, opts.pingIntervalMs ?? 30_000);
  ping.unref();

  void subscribe();

  return {
    get state() {
      return state;
    },
    ready,
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(ping);
      setState('closed');
      markReady();
      await sql?.end({ timeout: 1 }).catch(() => {});
    },
  };
}
