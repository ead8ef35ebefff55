import { createLogger, type Logger } from '@tradeassist/runtime/logger';
import { getEnv } from './env.ts';

const g = globalThis as { __taWebLogger?: Logger };

/** The web process's pino logger (JSON lines on stderr, component `web`). */
export function log(): Logger {
  g.__taWebLogger ??= createLogger({ component: 'web', level: getEnv().LOG_LEVEL });
  return g.__taWebLogger;
}
