// The web app's environment (packages/config webEnv). Parsed on first use rather than at import,
// so that `next build` does not need the runtime secrets; instrumentation.ts parses it when the
// server starts, so a bad value stops the server with one clear message.
import { type Env, loadEnv, webEnv } from '@tradeassist/config';

export type WebEnv = Env<typeof webEnv>;

let cached: WebEnv | undefined;

export function getEnv(): WebEnv {
  cached ??= loadEnv(webEnv);
  return cached;
}
