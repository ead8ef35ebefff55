// LISTEN on a channel with a real connection and hand out payloads in arrival order: `next()`
// resolves with the next notification (the test timeout catches one that never comes).
import type { Sql } from 'postgres';

export interface Listener {
  next(): Promise<string>;
  close(): Promise<void>;
}

export async function listen(sql: Sql, channel: string): Promise<Listener> {
  const queued: string[] = [];
  const waiting: ((payload: string) => void)[] = [];
  const { unlisten } = await sql.listen(channel, (payload) => {
    const w = waiting.shift();
    if (w) w(payload);
    else queued.push(payload);
  });
  return {
    next: () => {
      const p = queued.shift();
      return p !== undefined ? Promise.resolve(p) : new Promise((resolve) => waiting.push(resolve));
    },
    close: unlisten,
  };
}
