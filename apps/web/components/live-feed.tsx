'use client';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
// The home page's live alert list: starts from the server's first page, prepends alerts as they
// commit (useLiveAlerts), newest first, filtered like the page. Virtualised against the window so
// ten thousand rows scroll smoothly and the phone's address bar still collapses.
import type { LiveAlert } from '@tradeassist/db/live-alert';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type AlertFilters, isFiltered, matchesFilters } from '@/lib/feed/alert-filters.ts';
import { kindOf } from '@/lib/feed/alert-kinds.ts';
import { beep } from '@/lib/feed/sound-settings.ts';
import type { LiveTransportConfig } from '@/lib/live/live-transport.ts';
import { useLiveAlerts } from '@/lib/live/use-live-alerts.ts';
import { AlertRow, ROW_HEIGHT } from './alert-row.tsx';
import { LiveStatus } from './live-status.tsx';
import { SoundToggle, useSoundSettings } from './sound-toggle.tsx';

/** Rows kept in the browser; older ones fall off the end. */
export const MAX_ROWS = 10_000;
const BEEP_GAP_MS = 400;

export interface LiveFeedProps {
  initial: LiveAlert[];
  since: string | null;
  filters: AlertFilters;
  /** The symbols `filters.watchlist` stands for, resolved on the server; null without that filter. */
  watched: string[] | null;
  /** Why nothing can show (the selected watchlists hold no symbols), or null. */
  emptyNote: string | null;
  transport: LiveTransportConfig;
  /** When the server rendered the first page (ms since the epoch). */
  renderedAt: number;
}

/** The browser's own idea of the network (a page opened offline gets no 'offline' event). */
function useOnline(): boolean {
  const [online, setOnline] = useState(true);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    update();
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

function useIsWide(): boolean {
  const [wide, setWide] = useState(true);
  useEffect(() => {
    const mq = window.matchMedia('(min-width: 640px)');
    const update = () => setWide(mq.matches);
    update();
    mq.addEventListener('change', update);
    return () => mq.removeEventListener('change', update);
  }, []);
  return wide;
}

/** The clock for row ages; starts at the server's render time so that hydration matches. */
function useNow(start: number, everyMs: number): number {
  const [now, setNow] = useState(start);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

export function LiveFeed({
  initial,
  since,
  filters,
  watched,
  emptyNote,
  transport,
  renderedAt,
}: LiveFeedProps) {
  const [alerts, setAlerts] = useState(initial);
  const seen = useRef(new Set(initial.map((a) => a.id)));
  const pending = useRef<LiveAlert[]>([]);
  const frame = useRef<number | null>(null);
  const lastBeep = useRef(0);
  const listRef = useRef<HTMLUListElement>(null);
  const listTop = useRef(0);
  const [sound, setSound] = useSoundSettings();
  const soundRef = useRef(sound);
  soundRef.current = sound;
  const wide = useIsWide();
  const rowHeight = wide ? ROW_HEIGHT.wide : ROW_HEIGHT.narrow;
  const now = useNow(renderedAt, 1000);
  const rowHeightRef = useRef(rowHeight);
  rowHeightRef.current = rowHeight;

  // Alerts arrive one SSE event at a time (thousands in a back-fill): collect them and render once
  // per frame, newest first.
  const flush = useCallback(() => {
    frame.current = null;
    const batch = pending.current;
    pending.current = [];
    if (batch.length === 0) return;
    batch.reverse();
    // Keep the rows in view still when the trader has scrolled down the list. The list's top comes
    // from a ref: reading offsetTop here forced a layout on every frame of a burst.
    if (window.scrollY > listTop.current + 4) window.scrollBy(0, batch.length * rowHeightRef.current);
    setAlerts((prev) => {
      const next = batch.concat(prev);
      return next.length > MAX_ROWS ? next.slice(0, MAX_ROWS) : next;
    });
  }, []);
  const watchedSet = useMemo(() => (watched ? new Set(watched) : null), [watched]);
  const onAlert = useCallback(
    (a: LiveAlert) => {
      if (seen.current.has(a.id) || !matchesFilters(a, filters, watchedSet)) return;
      seen.current.add(a.id);
      pending.current.push(a);
      frame.current ??= requestAnimationFrame(flush);
      const s = soundRef.current;
      const tone = kindOf(a.type).tone;
      if (!s.muted && s.tones[tone] && Date.now() - lastBeep.current > BEEP_GAP_MS) {
        lastBeep.current = Date.now();
        beep(tone);
      }
    },
    [filters, watchedSet, flush],
  );
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const live = useLiveAlerts({ transport, onAlert, since });
  const online = useOnline();
  const state = online ? live.state : 'offline';

  // Where the list starts on the page (the virtualizer counts window scroll from there); the list
  // element only exists once there is an alert.
  const [scrollMargin, setScrollMargin] = useState(0);
  const hasRows = alerts.length > 0;
  useEffect(() => {
    if (!hasRows) return;
    listTop.current = listRef.current?.offsetTop ?? 0;
    setScrollMargin(listTop.current);
  }, [hasRows]);
  // Stable callbacks: a new one makes the virtualizer rebuild all 10,000 row positions (the keys
  // read the current list through a ref, so new alerts do not make a new getItemKey).
  const estimateSize = useCallback(() => rowHeight, [rowHeight]);
  const alertsRef = useRef(alerts);
  alertsRef.current = alerts;
  const getItemKey = useCallback((i: number) => alertsRef.current[i]?.id ?? i, []);
  const virtualizer = useWindowVirtualizer({
    count: alerts.length,
    estimateSize,
    overscan: 12,
    scrollMargin,
    getItemKey,
    initialRect: { width: 1024, height: 900 },
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure when the row height changes
  useEffect(() => {
    virtualizer.measure();
  }, [rowHeight]);
  const items = virtualizer.getVirtualItems();
  const totals = useMemo(() => alerts.length.toLocaleString('en-US'), [alerts.length]);

  return (
    <section aria-label="Alerts" data-live-state={state} className="pb-8">
      <div className="flex items-center justify-between gap-2 px-3 py-2">
        <div className="flex items-baseline gap-2">
          <h1 className="text-sm font-semibold">Alerts</h1>
          <span className="tabular text-[11px] text-muted" data-testid="alert-count">
            {totals} shown
          </span>
        </div>
        <div className="flex items-center gap-1">
          <LiveStatus state={state} />
          <SoundToggle settings={sound} onChange={setSound} />
        </div>
      </div>
      {(state === 'reconnecting' || state === 'offline') && (
        // A floating notice rather than a line above the list, so the rows do not jump.
        <div
          role="status"
          className="fixed inset-x-3 bottom-3 z-20 mx-auto max-w-xl rounded border border-halt/60 bg-[#2a1e08] px-3 py-2.5 text-halt shadow-lg"
        >
          Live connection lost — reconnecting… Missed alerts are filled in when it is back.
        </div>
      )}
      <div
        aria-hidden
        className="hidden h-7 items-center gap-3 border-y border-line px-3 text-[11px] uppercase tracking-wide text-muted sm:grid sm:grid-cols-[4px_5.5rem_minmax(0,1fr)_6.5rem_5rem_4.5rem_3.5rem_4rem_3rem]"
      >
        <span />
        <span>Symbol</span>
        <span>Type</span>
        <span className="text-right">Price</span>
        <span className="text-right">Move</span>
        <span className="text-right">RVOL</span>
        <span className="text-right">Score</span>
        <span className="text-right">Session</span>
        <span className="text-right">Age</span>
      </div>
      {emptyNote !== null ? (
        <p data-testid="feed-empty" className="px-3 py-10 text-center text-muted">
          {emptyNote}
          <br />
          <Link href="/watchlists" className="inline-block px-2 py-3 text-accent">
            Add symbols on the Watchlists page →
          </Link>
        </p>
      ) : alerts.length === 0 ? (
        <p data-testid="feed-empty" className="px-3 py-10 text-center text-muted">
          No alerts yet{isFiltered(filters) ? ' for these filters' : ''}. They appear here as the screener
          finds them.
        </p>
      ) : (
        <ul
          ref={listRef}
          data-testid="alert-list"
          className="relative w-full"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {items.map((item) => {
            const a = alerts[item.index];
            if (!a) return null;
            return (
              <AlertRow
                key={item.key}
                alert={a}
                now={now}
                height={rowHeight}
                offset={item.start - virtualizer.options.scrollMargin}
              />
            );
          })}
        </ul>
      )}
    </section>
  );
}
