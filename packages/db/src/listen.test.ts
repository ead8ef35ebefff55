import { useTestDatabase } from '@tradeassist/tests/harness/db';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type ListenerState, listen } from './listen.ts';
import { startTcpProxy, viaProxy } from './testing/tcp-proxy.ts';

const db = useTestDatabase();
const silent = pino({ level: 'silent' });

/** Resolves when `pred` holds, polling the state our callbacks update (no wall-clock assertion). */
async function until(pred: () => boolean): Promise<void> {
  while (!pred()) await new Promise((r) => setTimeout(r, 10));
}

describe('listen', () => {
  it('keeps delivering after its connection is terminated, and reports the reconnection', async () => {
    const got: string[] = [];
    let reconnects = 0;
    const l = listen({
      url: db.url,
      channels: ['ta_test'],
      application: 'listen-test',
      logger: silent,
      retryMinMs: 10,
      onNotify: (ch, p) => got.push(`${ch}:${p}`),
      onReconnect: () => reconnects++,
    });
    try {
      await l.ready;
      await db.sql`select pg_notify('ta_test', 'one')`;
      await until(() => got.length === 1);

      const [t] = await db.sql<{ n: number }[]>`
        select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where application_name = 'listen-test' and datname = current_database()`;
      expect(t?.n).toBe(1);
      await until(() => reconnects === 1);
      expect(l.state).toBe('listening');

      await db.sql`select pg_notify('ta_test', 'two')`;
      await until(() => got.length === 2);
      expect(got).toEqual(['ta_test:one', 'ta_test:two']);
    } finally {
      await l.close();
    }
    expect(l.state).toBe('closed');
  });

  it('keeps retrying while the server refuses connections, then listens again', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(db.url).port) });
    const got: string[] = [];
    const states: ListenerState[] = [];
    let reconnects = 0;
    const l = listen({
      url: viaProxy(db.url, proxy),
      channels: ['ta_test3'],
      logger: silent,
      retryMinMs: 10,
      retryMaxMs: 40,
      onNotify: (_ch, p) => got.push(p),
      onReconnect: () => reconnects++,
      onStateChange: (s) => states.push(s),
    });
    try {
      await l.ready;
      await proxy.cut();
      await until(() => l.state === 'reconnecting');
      // Several failed attempts (postgres.js alone would have given up after the first).
      await new Promise((r) => setTimeout(r, 200));
      expect(reconnects).toBe(0);
      await proxy.restore();
      await until(() => reconnects === 1);
      await db.sql`select pg_notify('ta_test3', 'after')`;
      await until(() => got.length === 1);
      expect(got).toEqual(['after']);
      expect(states).toEqual(['listening', 'reconnecting', 'listening']);
    } finally {
      await l.close();
      await proxy.close();
    }
  });

  it('never throws into the caller when the notification handler fails', async () => {
    let calls = 0;
    const l = listen({
      url: db.url,
      channels: ['ta_test2'],
      logger: silent,
      onNotify: () => {
        calls++;
        throw new Error('handler bug');
      },
    });
    try {
      await l.ready;
      await db.sql`select pg_notify('ta_test2', 'a')`;
      await db.sql`select pg_notify('ta_test2', 'b')`;
      await until(() => calls === 2);
      expect(l.state).toBe('listening');
    } finally {
      await l.close();
    }
  });
});
