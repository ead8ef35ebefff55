// Waiting for a component to come up: poll its health until it answers, fail when the deadline
// passes or the process that should serve it exits, naming the component either way.
import { createServer } from 'node:net';
import type { Child } from './child.ts';

export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(
    readonly component: string,
    message: string,
  ) {
    super(message);
  }
}

export async function waitUntil(
  component: string,
  check: () => Promise<boolean | string>,
  opts: { timeoutMs: number; child?: Child; intervalMs?: number; signal?: AbortSignal },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    if (opts.signal?.aborted) throw new StartupError(component, `${component}: start-up interrupted`);
    if (opts.child?.hasExited) {
      const code = await opts.child.exited;
      const lines = opts.child.tail();
      const tail =
        lines.length > 0 ? `Last lines:\n${lines.map((l) => `    ${l}`).join('\n')}` : 'It printed nothing.';
      throw new StartupError(component, `${component} exited with code ${code} before it was up. ${tail}`);
    }
    try {
      const r = await check();
      if (r === true) return;
      if (typeof r === 'string') last = r;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline) {
      throw new StartupError(
        component,
        `${component} did not come up within ${Math.round(opts.timeoutMs / 1000)} s (last: ${last})`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 500));
  }
}

/** GET url; true on 2xx, else a short description of the answer. */
export async function httpOk(url: string): Promise<boolean | string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(8000) });
  if (res.ok) return true;
  const body = await res.text();
  return `HTTP ${res.status} ${body.slice(0, 300)}`;
}

export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

export async function requirePortFree(component: string, variable: string, port: number): Promise<void> {
  if (!(await portFree(port))) {
    throw new StartupError(
      component,
      `${component}: port ${port} on 127.0.0.1 is already in use (something else runs there; set ${variable})`,
    );
  }
}
