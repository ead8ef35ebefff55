// A deadline for promises that may never settle (a query on a connection that never completes).
export class TimeoutError extends Error {
  readonly code = 'TIMEOUT';
}

/** Rejects with a TimeoutError after `ms` (and calls `onTimeout`, e.g. to cancel the query). */
export function withTimeout<T>(
  p: PromiseLike<T>,
  ms: number,
  what: string,
  onTimeout?: () => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new TimeoutError(`${what} not answered within ${ms} ms`));
    }, ms);
  });
  return Promise.race([Promise.resolve(p), timeout]).finally(() => clearTimeout(timer));
}
