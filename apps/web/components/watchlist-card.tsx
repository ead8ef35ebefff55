'use client';
// One watchlist on /watchlists: its tickers as chips (tap ✕ to remove), a field to add several at
// once, rename, make default, delete; and the new-list form. Every change is a server action
// (app/watchlists/actions.ts); its answer shows at the bottom of the card.
import Link from 'next/link';
import { useActionState, useEffect, useState } from 'react';
import { type WatchlistState, watchlistAction } from '@/app/watchlists/actions.ts';
import type { Watchlist } from '@/lib/server/watchlists.ts';
import { buttonClass, FormMessage, inputClass, quietButtonClass } from './trade-fields.tsx';

const INITIAL: WatchlistState = { ok: false, message: null, seq: 0 };

export function WatchlistCard({ list }: { list: Watchlist }) {
  const [state, action, pending] = useActionState(watchlistAction, INITIAL);
  const [renaming, setRenaming] = useState(false);
  // A rename that went through closes the field; a refused one leaves it open to fix.
  useEffect(() => {
    if (state.ok) setRenaming(false);
  }, [state]);
  return (
    <section
      aria-label={`Watchlist ${list.name}`}
      data-testid="watchlist"
      data-name={list.name}
      className="space-y-2 rounded border border-line bg-panel p-3"
    >
      <div className="flex flex-wrap items-center gap-2">
        {renaming ? (
          <form action={action} className="flex min-w-0 flex-1 gap-2" aria-label="Rename list">
            <input type="hidden" name="op" value="rename" />
            <input type="hidden" name="id" value={list.id} />
            <input
              name="name"
              aria-label="New name"
              defaultValue={list.name}
              maxLength={60}
              required
              className={`${inputClass} mt-0 font-sans`}
            />
            <button type="submit" className={buttonClass} disabled={pending}>
              Save
            </button>
          </form>
        ) : (
          <h2 className="min-w-0 flex-1 truncate text-[15px] font-semibold">
            {list.name}
            {list.is_default && (
              <span className="ml-2 rounded bg-accent/15 px-1.5 py-0.5 text-[11px] font-normal text-accent">
                default
              </span>
            )}
          </h2>
        )}
        {!renaming && (
          <button type="button" className={`${quietButtonClass} px-3`} onClick={() => setRenaming(true)}>
            Rename
          </button>
        )}
        {!list.is_default && (
          <form action={action}>
            <input type="hidden" name="op" value="default" />
            <input type="hidden" name="id" value={list.id} />
            <button type="submit" className={`${quietButtonClass} px-3`} disabled={pending}>
              Make default
            </button>
          </form>
        )}
        {!list.is_default && (
          <form
            action={action}
            onSubmit={(e) => {
              if (!window.confirm(`Delete the list “${list.name}”?`)) e.preventDefault();
            }}
          >
            <input type="hidden" name="op" value="delete" />
            <input type="hidden" name="id" value={list.id} />
            <button type="submit" className={`${quietButtonClass} px-3 text-down`} disabled={pending}>
              Delete
            </button>
          </form>
        )}
      </div>
      {list.symbols.length === 0 ? (
        <p className="text-muted">No tickers yet.</p>
      ) : (
        <ul className="flex flex-wrap gap-1.5" aria-label={`${list.name} tickers`}>
          {list.symbols.map((s) => (
            <li key={s} className="flex h-9 items-center rounded border border-line bg-bg pl-2 font-mono">
              <Link href={`/symbol/${encodeURIComponent(s)}`} className="font-semibold">
                {s}
              </Link>
              <form action={action}>
                <input type="hidden" name="op" value="remove" />
                <input type="hidden" name="id" value={list.id} />
                <input type="hidden" name="symbol" value={s} />
                <button
                  type="submit"
                  aria-label={`Remove ${s}`}
                  className="flex h-9 w-9 items-center justify-center text-muted hover:text-down"
                  disabled={pending}
                >
                  ✕
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form action={action} className="flex gap-2" aria-label={`Add to ${list.name}`}>
        <input type="hidden" name="op" value="add" />
        <input type="hidden" name="id" value={list.id} />
        <input
          key={state.seq}
          name="symbols"
          defaultValue={state.symbols ?? ''}
          aria-label={`Tickers to add to ${list.name}`}
          placeholder="NVDA, AMD"
          autoCapitalize="characters"
          autoComplete="off"
          required
          className={`${inputClass} mt-0 uppercase`}
        />
        <button type="submit" className={buttonClass} disabled={pending}>
          Add
        </button>
      </form>
      <div className="flex items-center justify-between gap-2">
        <FormMessage ok={state.ok} message={state.message} />
        {list.symbols.length > 0 && (
          <Link href={`/?watchlist=${list.id}`} className="ml-auto shrink-0 text-[12px] text-accent">
            Alerts for this list →
          </Link>
        )}
      </div>
    </section>
  );
}

export function WatchlistCreate() {
  const [state, action, pending] = useActionState(watchlistAction, INITIAL);
  return (
    <form action={action} aria-label="New watchlist" className="space-y-2 rounded border border-line p-3">
      <input type="hidden" name="op" value="create" />
      <div className="flex gap-2">
        <input
          key={state.seq}
          name="name"
          defaultValue={state.name ?? ''}
          aria-label="New list name"
          placeholder="New list: Earnings this week"
          maxLength={60}
          required
          className={`${inputClass} mt-0 font-sans`}
        />
        <button type="submit" className={`${buttonClass} shrink-0`} disabled={pending}>
          Create list
        </button>
      </div>
      <FormMessage ok={state.ok} message={state.message} />
    </form>
  );
}
