// JSON-lines logs (pino) on stderr, so that stdout stays free for a command's result
// (CONTRACTS.md). Every line carries `component`; secret-looking fields are censored.
import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

export interface LoggerConfig {
  /** e.g. `screener`, `workflows`, `web`, `launcher`. */
  component: string;
  level?: string;
  /** Where lines go; stderr (fd 2) by default. */
  destination?: pino.DestinationStream;
  base?: Record<string, unknown>;
}

const REDACT_PATHS = [
  'password',
  'apiKey',
  'authToken',
  'secret',
  'token',
  'databaseUrl',
  '*.password',
  '*.apiKey',
  '*.authToken',
  '*.secret',
  '*.token',
];

export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    base: { component: config.component, pid: process.pid, ...config.base },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '***' },
  };
  // Synchronous writes: a worker that exits on a fatal error still gets its last line out.
  return pino(options, config.destination ?? pino.destination({ dest: 2, sync: true }));
}
