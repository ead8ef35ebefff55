// Graceful shutdown: on SIGTERM/SIGINT (or a fatal error) run the registered handlers one after the
// other, in registration order (register "stop taking work" before "flush" before "close the
// pool"), then exit. A hard deadline (10 s by default) exits non-zero if a handler hangs; a second
// signal does the same at once.
import type { Logger } from 'pino';

export interface Shutdown {
  /** Aborted when shutdown starts: long-running loops watch it. */
  readonly signal: AbortSignal;
  /** Adds a step; steps run in the order they were added. */
  onShutdown(name: string, handler: () => Promise<void> | void): void;
  /** Starts shutdown (idempotent); resolves with the exit code once every step ran. */
  shutdown(reason: string, exitCode?: number): Promise<number>;
}

export interface ShutdownOptions {
  logger: Logger;
  timeoutMs?: number;
  /** Exits the process at the end (default true; tests pass false). */
  exit?: boolean;
  signals?: readonly NodeJS.Signals[];
  /** Logs an uncaught exception or unhandled rejection as fatal and shuts down with 1 (default true). */
  handleFatal?: boolean;
}

export function createShutdown(opts: ShutdownOptions): Shutdown {
  const { logger } = opts;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const exit = opts.exit ?? true;
  const steps: { name: string; handler: () => Promise<void> | void }[] = [];
  const controller = new AbortController();
  let running: Promise<number> | undefined;

  const finish = (code: number) => {
    if (exit) process.exit(code);
  };

  const shutdown = (reason: string, exitCode = 0): Promise<number> => {
    if (running) return running;
    logger.info({ reason }, 'shutting down');
    controller.abort(new Error(`shutdown: ${reason}`));
    const deadline = setTimeout(() => {
      logger.error({ timeout_ms: timeoutMs }, 'shutdown did not finish in time; exiting');
      finish(1);
    }, timeoutMs);
    deadline.unref();
    running = (async () => {
      let code = exitCode;
      for (const step of steps) {
        const t0 = performance.now();
        try {
          await step.handler();
          logger.debug({ step: step.name, ms: Math.round(performance.now() - t0) }, 'shutdown step done');
        } catch (err) {
          code = code || 1;
          logger.error({ step: step.name, err }, 'shutdown step failed');
        }
      }
      clearTimeout(deadline);
      logger.info({ exit_code: code }, 'stopped');
      finish(code);
      return code;
    })();
    return running;
  };

  for (const sig of opts.signals ?? (['SIGTERM', 'SIGINT'] as const)) {
    process.on(sig, () => {
      if (running) {
        logger.warn({ signal: sig }, 'second signal during shutdown; exiting now');
        finish(130);
        return;
      }
      void shutdown(sig);
    });
  }

  if (opts.handleFatal ?? true) {
    const fatal = (kind: string) => (err: unknown) => {
      logger.fatal({ err }, kind);
      void shutdown(kind, 1);
    };
    process.on('uncaughtException', fatal('uncaught exception'));
    process.on('unhandledRejection', fatal('unhandled rejection'));
  }

  return {
    signal: controller.signal,
    onShutdown: (name, handler) => {
      steps.push({ name, handler });
    },
    shutdown,
  };
}
