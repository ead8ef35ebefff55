// What the watchlist forms may submit (zod, parsed in the server actions): list names as the table
// allows them, tickers as packages/core defines them, several at once ("nvda, amd msft").
import { tickerSchema } from '@tradeassist/core/alert';
import { z } from 'zod';

export const listNameSchema = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().replace(/\s+/g, ' ') : v),
  z.string().min(1, 'give the list a name').max(60, 'at most 60 characters'),
);

/** "nvda, amd  msft" -> ["NVDA", "AMD", "MSFT"]; every one must be a ticker, at most 100 at once. */
export const symbolsInputSchema = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? [
          ...new Set(
            v
              .toUpperCase()
              .split(/[\s,;]+/)
              .filter(Boolean),
          ),
        ]
      : v,
  z
    .array(tickerSchema.describe('ticker'), { error: 'type one or more tickers' })
    .min(1, 'type one or more tickers')
    .max(100, 'at most 100 tickers at once'),
);

export const watchlistIdSchema = z.string().uuid('no such list');

/** The first zod message, naming the ticker that failed ("BAD$: expected an upper-case ticker..."). */
export function symbolsError(error: z.ZodError, input: string): string {
  const issue = error.issues[0];
  if (!issue) return 'check the tickers';
  const index = issue.path[0];
  if (typeof index === 'number') {
    const given = [
      ...new Set(
        input
          .toUpperCase()
          .split(/[\s,;]+/)
          .filter(Boolean),
      ),
    ][index];
    return `${given}: not a ticker (such as AAPL or BRK.B)`;
  }
  return issue.message;
}
