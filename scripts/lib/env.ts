// The launcher's own environment (packages/config launcherEnv), and the environment its children
// inherit: whatever the user set (each child validates its part) plus what the launcher decides.
// A `.env` at the repository root is read first; variables already set win over it.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitOnEnvError, launcherEnv, loadEnv } from '@tradeassist/config';

const dotenv = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), '.env');
if (existsSync(dotenv)) process.loadEnvFile(dotenv);

export const env = exitOnEnvError(() => loadEnv(launcherEnv));
export type LauncherEnv = typeof env;

/** The user's environment, passed on to every child. */
export const inheritedEnv: Readonly<Record<string, string | undefined>> = { ...process.env };
