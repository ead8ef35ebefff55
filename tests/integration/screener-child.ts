// Runs the screener worker as a child process for the screener-* integration and fault tests:
// node with tsx's loader on main.ts (one process, so a SIGKILL hits the worker itself), stdout
// collected as alert lines, stderr (JSON logs) kept for failure messages and log assertions.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Alert, alertSchema } from '@tradeassist/core/alert';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const MAIN = fileURLToPath(new URL('../../workers/screener/src/main.ts', import.meta.url));

export interface ScreenerRun {
  readonly child: ChildProcess;
  /** Alert lines so far (raw), in order. */
  readonly lines: string[];
  stderr(): string;
  /** Resolves when a stderr log line matches. */
  waitForLog(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when stdout has at least n lines. */
  waitForLines(n: number, timeoutMs?: number): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startScreener(args: string[], env: Record<string, string> = {}): ScreenerRun {
  // A clean environment: only what the worker needs, so a developer's .env cannot leak in.
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    HEALTH_PORT: '0',
    LOG_LEVEL: 'info',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  const notify = () => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    let nl = out.indexOf('\n');
    while (nl >= 0) {
      lines.push(out.slice(0, nl));
      out = out.slice(nl + 1);
      nl = out.indexOf('\n');
    }
    notify();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    notify();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      notify();
      resolve({ code, signal });
    }),
  );
  let done = false;
  void exited.then(() => {
    done = true;
  });
  const until = (ok: () => boolean, what: string, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}\n${err.slice(-3000)}`)),
        timeoutMs,
      );
      const check = () => {
        if (ok()) {
          clearTimeout(t);
          resolve();
        } else if (done) {
          clearTimeout(t);
          reject(new Error(`screener exited before ${what}\n${err.slice(-3000)}`));
        } else waiters.push(check);
      };
      check();
    });
  return {
    child,
    lines,
    stderr: () => err,
    async waitForLog(re, timeoutMs = 30_000) {
      let hit = '';
      await until(
        () => {
          hit = err.split('\n').find((l) => re.test(l)) ?? '';
          return hit !== '';
        },
        `a log line matching ${re}`,
        timeoutMs,
      );
      return hit;
    },
    waitForLines: (n, timeoutMs = 30_000) => until(() => lines.length >= n, `${n} alert lines`, timeoutMs),
    exited,
  };
}

/** Runs to exit; returns the parsed alerts (each validated against the core schema). */
export async function runScreener(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ alerts: Alert[]; code: number | null; stderr: string }> {
  const run = startScreener(args, env);
  const { code } = await run.exited;
  const alerts = run.lines.map((l) => alertSchema.parse(JSON.parse(l)));
  return { alerts, code, stderr: run.stderr() };
}
