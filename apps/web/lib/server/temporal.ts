// One Temporal client connection per web process, opened on first use and dropped after a failure
// so that the next request reconnects.
import { Connection } from '@temporalio/client';
import { temporalConnectionOptions } from '@tradeassist/config/temporal-connection';
import { getEnv } from './env.ts';

const g = globalThis as { __taTemporal?: Promise<Connection> | undefined };

export function temporalConnection(): Promise<Connection> {
  if (!g.__taTemporal) {
    const { namespace: _ns, ...options } = temporalConnectionOptions(getEnv());
    const p = Connection.connect({ ...options, connectTimeout: '3s' });
    p.catch(() => {
      if (g.__taTemporal === p) g.__taTemporal = undefined;
    });
    g.__taTemporal = p;
  }
  return g.__taTemporal;
}
