// The screener worker's environment, validated once at start-up (packages/config screenerEnv).
// Command-line flags override their variables (--source, --sink, --shard) before validation, so one
// schema checks both; nothing else in the worker reads process.env.
import { exitOnEnvError, loadEnv, screenerEnv } from '@tradeassist/config';

export type ScreenerEnv = ReturnType<typeof loadScreenerEnv>;

export function loadScreenerEnv(overrides: Readonly<Record<string, string | undefined>> = {}) {
  const source: Record<string, string | undefined> = { ...process.env };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) source[k] = v;
  return exitOnEnvError(() => loadEnv(screenerEnv, source));
}
