// The launcher's own environment (packages/config launcherEnv), and the environment its children
// inherit: whatever the user set (each child validates its part) plus what the launcher decides.
import { exitOnEnvError, launcherEnv, loadEnv } from '@tradeassist/config';

export const env = exitOnEnvError(() => loadEnv(launcherEnv));
export type LauncherEnv = typeof env;

/** The user's environment, passed on to every child. */
export const inheritedEnv: Readonly<Record<string, string | undefined>> = { ...process.env };
