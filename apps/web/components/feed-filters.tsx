'use client';
// The feed's filters. Every change rewrites the URL search params (replace, no scroll), so the
// server renders the filtered first page and the view can be bookmarked or shared.
import { ALERT_TYPES, type AlertType } from '@tradeassist/core/alert-types';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import {
  type AlertFilters,
  filtersToSearch,
  isFiltered,
  NO_FILTERS,
  type WatchlistSelection,
} from '@/lib/feed/alert-filters.ts';
import { ALERT_KINDS, TONES, type Tone } from '@/lib/feed/alert-kinds.ts';
import type { WatchlistOption } from '@/lib/feed/watchlist-filter.ts';

const TONE_GROUP: Record<Tone, string> = {
  up: 'All up moves',
  down: 'All down moves',
  halt: 'Halts and resumes',
  indicator: 'All indicator events',
};
const typesOf = (tone: Tone) => ALERT_TYPES.filter((t) => ALERT_KINDS[t].tone === tone);

/** The <select> value for the current type filter: '', a tone group, one type, or 'custom'. */
function typeValue(types: AlertType[]): string {
  if (types.length === 0) return '';
  if (types.length === 1) return types[0] as string;
  const key = [...types].sort().join(',');
  for (const tone of TONES) if ([...typesOf(tone)].sort().join(',') === key) return `tone:${tone}`;
  return 'custom';
}

/** The <select> value for the watchlist filter: '', 'all', one list's id, or 'custom' (several). */
function watchlistValue(w: WatchlistSelection | null): string {
  if (w === null) return '';
  if (w === 'all') return 'all';
  return w.length === 1 ? (w[0] as string) : 'custom';
}

const control =
  'h-10 min-w-0 rounded border border-line bg-panel px-2 text-[13px] text-text focus:border-accent focus:outline-none';

export function FeedFilters({
  filters,
  watchlists,
}: {
  filters: AlertFilters;
  /** The signed-in trader's lists (the server resolved `filters.watchlist` against them). */
  watchlists: WatchlistOption[];
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [symbols, setSymbols] = useState(filters.symbols.join(', '));
  useEffect(() => setSymbols(filters.symbols.join(', ')), [filters.symbols]);

  const apply = (next: AlertFilters) => {
    const search = filtersToSearch(next);
    startTransition(() => router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false }));
  };
  const applySymbols = () => {
    const list = symbols
      .toUpperCase()
      .split(/[\s,]+/)
      .filter(Boolean);
    if (list.join(',') !== filters.symbols.join(',')) apply({ ...filters, symbols: [...new Set(list)] });
  };
  const tv = typeValue(filters.types);
  const wv = watchlistValue(filters.watchlist);
  const filtered = isFiltered(filters);

  return (
    <form
      aria-label="Filter alerts"
      data-pending={pending || undefined}
      className="grid grid-cols-2 gap-2 px-3 pt-2 sm:flex sm:flex-wrap sm:items-center"
      onSubmit={(e) => {
        e.preventDefault();
        applySymbols();
      }}
    >
      <select
        aria-label="Alert type"
        name="type"
        className={`${control} sm:w-48`}
        value={tv}
        onChange={(e) => {
          const v = e.target.value;
          const types =
            v === '' ? [] : v.startsWith('tone:') ? typesOf(v.slice(5) as Tone) : [v as AlertType];
          apply({ ...filters, types });
        }}
      >
        <option value="">All types</option>
        {tv === 'custom' && <option value="custom">{filters.types.length} types</option>}
        <optgroup label="Groups">
          {TONES.map((t) => (
            <option key={t} value={`tone:${t}`}>
              {TONE_GROUP[t]}
            </option>
          ))}
        </optgroup>
        <optgroup label="Types">
          {ALERT_TYPES.map((t) => (
            <option key={t} value={t}>
              {ALERT_KINDS[t].label}
            </option>
          ))}
        </optgroup>
      </select>
      <input
        aria-label="Symbols"
        name="symbol"
        placeholder="Symbols: NVDA, AMD"
        autoCapitalize="characters"
        autoComplete="off"
        spellCheck={false}
        className={`${control} font-mono uppercase placeholder:font-sans placeholder:normal-case sm:w-44`}
        value={symbols}
        onChange={(e) => setSymbols(e.target.value)}
        onBlur={applySymbols}
      />
      <select
        aria-label="Minimum score"
        name="min_score"
        className={`${control} sm:w-36`}
        value={filters.minScore === null ? '' : String(filters.minScore)}
        onChange={(e) =>
          apply({ ...filters, minScore: e.target.value === '' ? null : Number(e.target.value) })
        }
      >
        <option value="">Any score</option>
        {[0.25, 0.5, 0.7, 0.8, 0.9].map((s) => (
          <option key={s} value={String(s)}>
            Score ≥ {s.toFixed(2)}
          </option>
        ))}
        {filters.minScore !== null && ![0.25, 0.5, 0.7, 0.8, 0.9].includes(filters.minScore) && (
          <option value={String(filters.minScore)}>Score ≥ {filters.minScore}</option>
        )}
      </select>
      <select
        aria-label="Session"
        name="session"
        className={`${control} sm:w-36`}
        value={filters.session ?? ''}
        onChange={(e) =>
          apply({
            ...filters,
            session: e.target.value === '' ? null : (e.target.value as AlertFilters['session']),
          })
        }
      >
        <option value="">All sessions</option>
        <option value="pre">Pre-market</option>
        <option value="regular">Regular</option>
        <option value="post">Post-market</option>
      </select>
      <select
        aria-label="Watchlist"
        name="watchlist"
        // On a phone it shares its row with "Clear filters" when that shows, else takes the row.
        className={`${control} ${filtered ? '' : 'col-span-2'} sm:col-span-1 sm:w-48`}
        value={wv}
        onChange={(e) => {
          const v = e.target.value;
          if (v !== 'custom') apply({ ...filters, watchlist: v === '' ? null : v === 'all' ? 'all' : [v] });
        }}
      >
        <option value="">All symbols</option>
        <option value="all">All my watchlists</option>
        {wv === 'custom' && <option value="custom">{`${filters.watchlist?.length} watchlists`}</option>}
        {watchlists.length > 0 && (
          <optgroup label="My watchlists">
            {watchlists.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name} ({w.count})
              </option>
            ))}
          </optgroup>
        )}
      </select>
      {filtered && (
        <button
          type="button"
          className="h-10 rounded px-3 text-accent hover:bg-panel"
          onClick={() => {
            setSymbols('');
            apply(NO_FILTERS);
          }}
        >
          Clear filters
        </button>
      )}
    </form>
  );
}
