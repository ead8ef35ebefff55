// Runs once when the Next.js server starts: validate the environment up front so that a missing or
// malformed variable stops the server with one clear message instead of failing the first request.
import { isNodeServerRuntime } from './lib/server/env.ts';

export async function register(): Promise<void> {
  if (!isNodeServerRuntime()) return;
  const { exitOnEnvError } = await import('@tradeassist/config');
  const { getEnv } = await import('./lib/server/env.ts');
  exitOnEnvError(getEnv);
}
