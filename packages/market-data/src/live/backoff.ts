// Reconnect delays: exponential in the attempt number, capped, with "equal jitter" (half fixed, half
// random) so that many screener shards losing the gateway together do not come back in lock-step,
// while each still waits at least half the nominal delay.
export interface BackoffOptions {
  /** Delay of the first retry before jitter (ms). */
  baseMs: number;
  /** Cap on the nominal delay (ms). */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 30_000 };

/** Nominal delay for retry `attempt` (1-based): min(max, base * 2^(attempt-1)). */
export function nominalDelay(attempt: number, o: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = Math.min(Math.max(attempt, 1) - 1, 30);
  return Math.min(o.maxMs, o.baseMs * 2 ** exp);
}

/** Jittered delay in [nominal/2, nominal]; `random` in [0, 1) is injectable for tests. */
export function backoffDelay(
  attempt: number,
  o: BackoffOptions = DEFAULT_BACKOFF,
  random = Math.random,
): number {
  const n = nominalDelay(attempt, o);
  return Math.round(n / 2 + (n / 2) * random());
}
