import { Counter } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HealthServer, startHealthServer } from './health-server.ts';
import { createMetricsRegistry } from './metrics.ts';

describe('health server', () => {
  let server: HealthServer;
  let dbUp = true;
  const registry = createMetricsRegistry('test-worker');
  const alerts = new Counter({ name: 'ta_test_alerts_total', help: 'alerts', registers: [registry] });

  beforeAll(async () => {
    server = await startHealthServer({
      component: 'test-worker',
      host: '127.0.0.1',
      port: 0,
      registry,
      checkTimeoutMs: 200,
      status: () => ({ feed: 'streaming' }),
      checks: {
        database: async () => {
          if (!dbUp) throw new Error('connection refused');
          return { pool: 1 };
        },
        temporal: async () => {},
      },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers /health while alive, with the extra status', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'up', component: 'test-worker', feed: 'streaming' });
  });

  it('answers /ready 200 when every check passes and 503 naming the failing one', async () => {
    const ok = await fetch(`${server.url}/ready`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      status: 'up',
      checks: { database: { status: 'up', details: { pool: 1 } } },
    });
    dbUp = false;
    const down = await fetch(`${server.url}/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      status: 'down',
      checks: { database: { status: 'down', error: 'connection refused' }, temporal: { status: 'up' } },
    });
    dbUp = true;
  });

  it('serves Prometheus metrics with the component label', async () => {
    alerts.inc(3);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('ta_test_alerts_total{component="test-worker"} 3');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('names a busy port', async () => {
    await expect(startHealthServer({ component: 'x', host: '127.0.0.1', port: server.port })).rejects.toThrow(
      `port ${server.port} on 127.0.0.1 is already in use`,
    );
  });
});

describe('readiness deadline', () => {
  it('reports a check that hangs as down with the deadline', async () => {
    const server = await startHealthServer({
      component: 'slow',
      host: '127.0.0.1',
      port: 0,
      checkTimeoutMs: 50,
      checks: { hang: () => new Promise(() => {}) },
    });
    try {
      const r = await server.ready();
      expect(r).toMatchObject({
        ready: false,
        checks: { hang: { status: 'down', error: 'no answer within 50 ms' } },
      });
    } finally {
      await server.close();
    }
  });
});
