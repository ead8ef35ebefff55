'use server';
// Server actions of /watchlists: one entry point per card (`op` says what), each input parsed with
// zod, each write run as the trader.
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { currentUserId } from '@/lib/server/auth.ts';
import {
  addSymbols,
  createWatchlist,
  deleteWatchlist,
  removeSymbol,
  renameWatchlist,
  setDefaultWatchlist,
  WatchlistRefused,
} from '@/lib/server/watchlists.ts';
import {
  listNameSchema,
  symbolsError,
  symbolsInputSchema,
  watchlistIdSchema,
} from '@/lib/server/watchlists-input.ts';

export interface WatchlistState {
  ok: boolean;
  message: string | null;
  seq: number;
  /** The tickers typed, sent back when they were refused (React resets the form after an action). */
  symbols?: string;
  /** The new list's name, sent back when it was refused. */
  name?: string;
}

const opSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('create'), name: listNameSchema }),
  z.object({ op: z.literal('rename'), id: watchlistIdSchema, name: listNameSchema }),
  z.object({ op: z.literal('delete'), id: watchlistIdSchema }),
  z.object({ op: z.literal('default'), id: watchlistIdSchema }),
  z.object({ op: z.literal('add'), id: watchlistIdSchema, symbols: z.string().max(2000) }),
  z.object({ op: z.literal('remove'), id: watchlistIdSchema, symbol: z.string().min(1).max(20) }),
]);

export async function watchlistAction(prev: WatchlistState, form: FormData): Promise<WatchlistState> {
  const userId = await currentUserId();
  const seq = prev.seq + 1;
  const parsed = opSchema.safeParse(Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])));
  if (!parsed.success)
    return { ok: false, message: parsed.error.issues[0]?.message ?? 'check the form', seq };
  const x = parsed.data;
  let message: string;
  try {
    switch (x.op) {
      case 'create':
        await createWatchlist(userId, x.name);
        message = `Created “${x.name}”.`;
        break;
      case 'rename':
        await renameWatchlist(userId, x.id, x.name);
        message = `Renamed to “${x.name}”.`;
        break;
      case 'delete':
        await deleteWatchlist(userId, x.id);
        message = 'List deleted.';
        break;
      case 'default':
        await setDefaultWatchlist(userId, x.id);
        message = 'This is now the default list (SMS “watch” adds here).';
        break;
      case 'add': {
        const symbols = symbolsInputSchema.safeParse(x.symbols);
        if (!symbols.success) {
          return { ok: false, message: symbolsError(symbols.error, x.symbols), seq, symbols: x.symbols };
        }
        const n = await addSymbols(userId, x.id, symbols.data);
        message =
          n === symbols.data.length
            ? `Added ${symbols.data.join(', ')}.`
            : `Added ${n} (the rest were there already).`;
        break;
      }
      case 'remove':
        await removeSymbol(userId, x.id, x.symbol);
        message = `Removed ${x.symbol}.`;
        break;
    }
  } catch (e) {
    if (e instanceof WatchlistRefused) {
      return { ok: false, message: e.message, seq, ...(x.op === 'create' ? { name: x.name } : {}) };
    }
    throw e;
  }
  revalidatePath('/watchlists');
  return { ok: true, message, seq };
}
