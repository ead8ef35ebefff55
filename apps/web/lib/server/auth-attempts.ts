// A small per-IP limit on wrong passcodes: after MAX_FAILURES wrong tries within WINDOW_MS an address
// must wait until the oldest of them leaves the window. In memory (one web process serves the local
// profile); a restart forgets it, which costs an attacker a restart they cannot trigger remotely.
// The address comes from X-Forwarded-For, which a client reaching the server directly can set to
// anything (Next only fills it in when absent): so a second, global limit caps wrong tries from all
// addresses together. It can lock the trader out for a while under attack, which beats a guessed
// passcode.
export const MAX_FAILURES = 5;
export const MAX_GLOBAL_FAILURES = 30;
export const WINDOW_MS = 15 * 60 * 1000;
/** Bounds the memory an address-spraying client can take. */
const MAX_TRACKED = 10_000;

export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max = MAX_FAILURES,
    private readonly windowMs = WINDOW_MS,
  ) {}

  private recent(ip: string, now: number): number[] {
    const kept = (this.failures.get(ip) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length === 0) this.failures.delete(ip);
    else this.failures.set(ip, kept);
    return kept;
  }

  /** Milliseconds until this address may try again (0: it may try now). */
  retryAfterMs(ip: string, now = Date.now()): number {
    const recent = this.recent(ip, now);
    if (recent.length < this.max) return 0;
    return (recent[recent.length - this.max] ?? now) + this.windowMs - now;
  }

  fail(ip: string, now = Date.now()): void {
    if (!this.failures.has(ip) && this.failures.size >= MAX_TRACKED) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    this.failures.set(ip, [...this.recent(ip, now), now]);
  }

  succeed(ip: string): void {
    this.failures.delete(ip);
  }
}

const g = globalThis as { __taLoginLimiter?: LoginLimiter };

/** Per address and over all addresses together. */
export class LoginLimiter {
  private readonly perAddress = new AttemptLimiter(MAX_FAILURES, WINDOW_MS);
  private readonly overall = new AttemptLimiter(MAX_GLOBAL_FAILURES, WINDOW_MS);

  retryAfterMs(ip: string, now = Date.now()): number {
    return Math.max(this.perAddress.retryAfterMs(ip, now), this.overall.retryAfterMs('*', now));
  }

  fail(ip: string, now = Date.now()): void {
    this.perAddress.fail(ip, now);
    this.overall.fail('*', now);
  }

  succeed(ip: string): void {
    this.perAddress.succeed(ip);
  }
}

/** The web process's limiter (on globalThis so that dev-mode reloads keep the count). */
export function loginLimiter(): LoginLimiter {
  g.__taLoginLimiter ??= new LoginLimiter();
  return g.__taLoginLimiter;
}
