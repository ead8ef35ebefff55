// Installs the Temporal SDK runtime for this process: its logs (and the Rust core's) go through our
// pino logger, and it leaves SIGINT/SIGTERM to our shutdown sequence instead of its own.
import { DefaultLogger, type LogEntry, type LogLevel, Runtime } from '@temporalio/worker';
import type { Logger } from '@tradeassist/runtime/logger';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

export function installTemporalRuntime(logger: Logger): void {
  const temporalLogger = logger.child({ subsystem: 'temporal-sdk' });
  const level: LogLevel = logger.isLevelEnabled('debug') ? 'DEBUG' : 'INFO';
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger(level, (entry: LogEntry) => {
      temporalLogger[LEVELS[entry.level]](entry.meta ?? {}, entry.message);
    }),
  });
}
