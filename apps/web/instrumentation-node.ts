// Validates the environment when the server starts, so that a missing or malformed variable stops it
// with one clear message instead of failing the first request.
import { exitOnEnvError } from '@tradeassist/config';
import { getEnv } from './lib/server/env.ts';

exitOnEnvError(getEnv);
