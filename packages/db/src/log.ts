// JSON-lines logs on stderr (stdout belongs to the command's result), one `component` per module.
import pino, { type Logger } from 'pino';

let root: Logger | undefined;

export function dbLogger(component: string): Logger {
  root ??= pino({ level: 'info' }, pino.destination({ fd: 2, sync: false }));
  return root.child({ component });
}

export type { Logger };
