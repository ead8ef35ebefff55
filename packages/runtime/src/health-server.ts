// The small HTTP listener every worker runs: `/health` (the process is alive), `/ready` (each
// dependency answers, via async checks with a deadline) and `/metrics` (Prometheus text).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/** Resolves (optionally with an object of details) when the dependency is up; throws when not. */
export type ReadinessCheck = () => Promise<unknown>;

export interface CheckResult {
  status: 'up' | 'down';
  latency_ms: number;
  error?: string;
  details?: Record<string, unknown>;
}

export interface HealthServerOptions {
  component: string;
  port: number;
  host: string;
  checks?: Record<string, ReadinessCheck>;
  registry?: Registry;
  logger?: Logger;
  /** Per-check deadline for /ready. */
  checkTimeoutMs?: number;
  /** Extra state for /health (e.g. the feed's state), computed per request. */
  status?: () => Record<string, unknown>;
}

export interface HealthServer {
  readonly port: number;
  readonly url: string;
  /** Runs every readiness check (what /ready answers). */
  ready(): Promise<{ ready: boolean; checks: Record<string, CheckResult> }>;
  close(): Promise<void>;
}

export async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const details = await Promise.race([check(), timeout]);
    const result: CheckResult = { status: 'up', latency_ms: Math.round(performance.now() - started) };
    if (details && typeof details === 'object') result.details = details as Record<string, unknown>;
    return result;
  } catch (e) {
    return {
      status: 'down',
      latency_ms: Math.round(performance.now() - started),
      error: e instanceof Error ? e.message : String(e),
    };
  } finally {
    clearTimeout(timer);
  }
}

export async function startHealthServer(opts: HealthServerOptions): Promise<HealthServer> {
  const startedAt = Date.now();
  const checks = opts.checks ?? {};
  const timeoutMs = opts.checkTimeoutMs ?? 3000;

  const ready = async () => {
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const),
    );
    const results = Object.fromEntries(entries);
    return { ready: entries.every(([, r]) => r.status === 'up'), checks: results };
  };

  const send = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
    switch (path) {
      case '/health':
        return send(res, 200, {
          status: 'up',
          component: opts.component,
          uptime_s: Math.round((Date.now() - startedAt) / 1000),
          ...opts.status?.(),
        });
      case '/ready': {
        const r = await ready();
        return send(res, r.ready ? 200 : 503, {
          status: r.ready ? 'up' : 'down',
          component: opts.component,
          checks: r.checks,
        });
      }
      case '/metrics': {
        if (!opts.registry) return send(res, 404, { error: 'no metrics here' });
        const text = await opts.registry.metrics();
        res.writeHead(200, { 'content-type': opts.registry.contentType });
        return res.end(text);
      }
      default:
        return send(res, 404, { error: `not found: ${path}`, routes: ['/health', '/ready', '/metrics'] });
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      opts.logger?.error({ err: e }, 'health server request failed');
      if (!res.headersSent) send(res, 500, { error: e instanceof Error ? e.message : String(e) });
      else res.destroy();
    });
  });
  // Probes must not keep a shutting-down process alive.
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      reject(
        new Error(
          e.code === 'EADDRINUSE'
            ? `health server: port ${opts.port} on ${opts.host} is already in use (set HEALTH_PORT)`
            : `health server: cannot listen on ${opts.host}:${opts.port}: ${e.message}`,
        ),
      );
    };
    server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
  opts.logger?.info({ url }, 'health server listening');

  return {
    port,
    url,
    ready,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
