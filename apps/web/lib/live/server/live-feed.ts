// The web server process's one live feed (one LISTEN connection shared by every SSE client), kept
// on globalThis so dev-mode module reloads do not open another.
import { type AlertFeed, createAlertFeed } from '@tradeassist/db/live-feed';
import { getEnv } from '../../server/env.ts';
import { log } from '../../server/log.ts';

/** The local profile's single user (supabase/seed.sql): sees market-wide alerts and their own. */
export const LOCAL_USER_ID = '00000000-0000-4000-8000-000000000001';

const g = globalThis as { __taLiveFeed?: AlertFeed };

export function liveFeed(): AlertFeed {
  g.__taLiveFeed ??= createAlertFeed({
    url: getEnv().DATABASE_URL,
    logger: log().child({ component: 'live-feed' }),
  });
  return g.__taLiveFeed;
}
