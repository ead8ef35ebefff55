// The screener worker's environment, validated once at start-up (packages/config screenerEnv).
import { exitOnEnvError, loadEnv, screenerEnv } from '@tradeassist/config';

export const env = exitOnEnvError(() => loadEnv(screenerEnv));
export type ScreenerEnv = typeof env;
