// Inbound SMS webhook latency: a Twilio-signed POST /api/twilio/sms answered over HTTP, through the
// whole path (signature check, zod parse, profile lookup, idempotent insert, signal-with-start of
// the conversation workflow on a real Temporal dev server, handed_off_at update, TwiML), each request
// a new message from the local user's phone, one at a time as Twilio posts them. Goal: p99 <= 200 ms.
//
// Two servers, when available:
// - `webhook.next_start.*`: the production build of apps/web (web-prod.ts: apps/web/.next/bench,
//   rebuilt when a source is newer) under `next start`, talking to the same Temporal dev server;
// - `webhook.node_http.*`: the same handler (@tradeassist/messaging/twilio handleInboundWebhook) and
//   the same Temporal hand-off (apps/web/lib/server/sms-handoff.ts) in a plain Node HTTP server.
// Each figure: median over RUNS runs (min/max across runs) of that run's p50 or p99.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { LOCAL_DEV_TWILIO_AUTH_TOKEN } from '@tradeassist/config';
import { applySeed } from '@tradeassist/db/local';
import { startScratchPostgres } from '@tradeassist/db/testing/scratch-postgres';
import { handleInboundWebhook } from '@tradeassist/messaging/twilio';
import { serveFetch } from '@tradeassist/messaging/twilio/fetch-server';
import { inboundSmsParams, postTwilioWebhook } from '@tradeassist/test-doubles/twilio-double';
import postgres from 'postgres';
import { HANDOFF_WAIT_MS, signalConversation } from '../../apps/web/lib/server/sms-handoff.ts';
import { freePort } from '../e2e/web-server.ts';
import { createDevServerEnv } from '../harness/temporal.ts';
import { type BenchResult, quantile, summarize } from './stats.ts';
import { DIST_DIR, ensureBuild } from './web-prod.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const WEB = resolve(ROOT, 'apps/web');
const RUNS = 3;
const REQUESTS = 300;
const WARMUP = 50;
const PHONE = '+15555550100';
const TASK_QUEUE = 'bench-webhook';

async function measure(url: string): Promise<{ p50: number[]; p99: number[] }> {
  const one = async () => {
    const params = inboundSmsParams({
      from: PHONE,
      to: '+15555550199',
      body: 'took AAPL 150.20 stop 148',
      accountSid: `AC${'0'.repeat(32)}`,
    });
    const t0 = performance.now();
    const res = await postTwilioWebhook(url, LOCAL_DEV_TWILIO_AUTH_TOKEN, params);
    await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    return ms;
  };
  for (let i = 0; i < WARMUP; i++) await one();
  const p50: number[] = [];
  const p99: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const lat: number[] = [];
    for (let i = 0; i < REQUESTS; i++) lat.push(await one());
    p50.push(quantile(lat, 0.5));
    p99.push(quantile(lat, 0.99));
  }
  return { p50, p99 };
}

async function startNext(
  dbUrl: string,
  temporalAddress: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  let out = '';
  const proc: ChildProcess = spawn(
    process.execPath,
    [resolve(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-H', '127.0.0.1', '-p', String(port)],
    {
      cwd: WEB,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        TRADEASSIST_PROFILE: 'local',
        DATABASE_URL: dbUrl,
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_TASK_QUEUE: TASK_QUEUE,
        LOG_LEVEL: 'warn',
        NEXT_TELEMETRY_DISABLED: '1',
        NODE_ENV: 'production',
        TA_NEXT_DIST_DIR: DIST_DIR,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  proc.stdout?.on('data', (c: Buffer) => {
    out = (out + c.toString()).slice(-20_000);
  });
  proc.stderr?.on('data', (c: Buffer) => {
    out = (out + c.toString()).slice(-20_000);
  });
  const stop = async () => {
    if (proc.pid && proc.exitCode === null) {
      const gone = new Promise((r) => proc.once('exit', r));
      process.kill(-proc.pid, 'SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
    }
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`next start exited ${proc.exitCode}:\n${out}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start not up in 60 s:\n${out}`);
    }
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop };
}

export async function run(): Promise<BenchResult[]> {
  const pg = await startScratchPostgres('bench_webhook');
  let env: TestWorkflowEnvironment | undefined;
  const results: BenchResult[] = [];
  const sql = postgres(pg.url, { max: 5, onnotice: () => {} });
  try {
    await applySeed(pg.url); // the local user with the dev phone's number
    env = await createDevServerEnv();
    const temporal = env;

    const node = await serveFetch((req) =>
      handleInboundWebhook(req, {
        sql,
        auth: { authToken: LOCAL_DEV_TWILIO_AUTH_TOKEN, publicUrl: undefined, accountSid: undefined },
        logger: { info: () => {}, warn: () => {} },
        handoffWaitMs: HANDOFF_WAIT_MS,
        defer: () => {},
        handoff: (h) => signalConversation(temporal.client, TASK_QUEUE, h),
      }),
    );
    try {
      const m = await measure(`${node.url}/api/twilio/sms`);
      results.push(summarize('webhook.node_http.inbound_p50', 'ms', m.p50));
      results.push(summarize('webhook.node_http.inbound_p99', 'ms', m.p99));
    } finally {
      await node.close();
    }

    // The web benchmarks' production build (rebuilt only when a source is newer than it).
    const built = await ensureBuild().then(
      () => existsSync(resolve(WEB, DIST_DIR, 'server/app/api/twilio/sms/route.js')),
      (err: unknown) => {
        process.stderr.write(
          `webhook bench: next build failed, next_start skipped: ${String(err).slice(0, 2000)}\n`,
        );
        return false;
      },
    );
    if (built) {
      const next = await startNext(pg.url, env.address);
      try {
        const m = await measure(`${next.url}/api/twilio/sms`);
        results.push(summarize('webhook.next_start.inbound_p50', 'ms', m.p50));
        results.push(summarize('webhook.next_start.inbound_p99', 'ms', m.p99));
      } finally {
        await next.stop();
      }
    }
    // Every message reached the conversation (not just answered): none left for the sweeper.
    const [left] = await sql<{ n: number }[]>`
      select count(*)::int as n from public.sms_messages where direction = 'in' and handed_off_at is null`;
    if (left?.n)
      process.stderr.write(`webhook bench: ${left.n} messages answered before their hand-off finished\n`);
    return results;
  } finally {
    await sql.end({ timeout: 1 });
    await env?.teardown();
    await pg.stop();
  }
}
