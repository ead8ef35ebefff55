'use client';
// The live part of the symbol page: key numbers, the intraday chart, the day's alerts and the
// "open a trade" link. New alerts for the symbol arrive through the dashboard's live transport (SSE
// locally, Realtime in the cloud) and are marked on the chart at once; bars and key numbers are
// re-read every few seconds (and right after an alert) from /symbol/:ticker/bars, from the last bar
// on (it may have grown), while the page is visible.
import type { LiveAlert } from '@tradeassist/db/live-alert';
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BarMarker } from '@/components/symbol-chart.tsx';
import { kindOf, TONE_CLASS } from '@/lib/feed/alert-kinds.ts';
import { pctText, rvolText } from '@/lib/feed/alert-metrics.ts';
import { displayPrice } from '@/lib/format.ts';
import type { LiveTransportConfig } from '@/lib/live/live-transport.ts';
import { useLiveAlerts } from '@/lib/live/use-live-alerts.ts';
import type { IntradayBar, KeyNumbers } from '@/lib/server/symbol-view.ts';

// The chart library loads after the numbers are on screen (it is most of this page's JavaScript).
const IntradayChart = dynamic(() => import('@/components/symbol-chart.tsx').then((m) => m.IntradayChart), {
  ssr: false,
  loading: () => <div className="h-72 w-full animate-pulse rounded bg-panel sm:h-[26rem]" />,
});

export const REFRESH_MS = 5_000;

const nyTime = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export interface SymbolLiveProps {
  symbol: string;
  day: string;
  openAt: number;
  /** Seconds between UTC and New York wall time on that day. */
  shift: number;
  bars: IntradayBar[];
  alerts: LiveAlert[];
  stats: KeyNumbers;
  since: string | null;
  transport: LiveTransportConfig;
}

const atOf = (a: LiveAlert) => Number(BigInt(a.ts_event) / 1_000_000_000n);
const signed = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(2)}%`;
const toneOf = (x: number | null) => (x === null ? '' : x > 0 ? 'text-up' : x < 0 ? 'text-down' : '');

function Stat({
  label,
  value,
  sub,
  tone,
  id,
}: {
  label: string;
  value: string;
  sub?: string | undefined;
  tone?: string | undefined;
  id: string;
}) {
  // On a phone the last price takes a whole row: it is what the trader looks for first.
  const wide = id === 'last' ? 'col-span-2 sm:col-span-1' : '';
  return (
    <div
      className={`min-w-0 rounded border border-line bg-panel px-3 py-2 ${wide}`}
      data-testid={`stat-${id}`}
    >
      <div className="truncate text-[11px] uppercase tracking-wide text-muted">{label}</div>
      <div className={`tabular truncate font-mono text-base font-semibold ${tone ?? ''}`} data-value>
        {value}
      </div>
      {sub && <div className="tabular truncate text-[11px] text-muted">{sub}</div>}
    </div>
  );
}

function numbers(s: KeyNumbers) {
  const p = (x: string | null) => (x === null ? '—' : displayPrice(x));
  return [
    {
      id: 'last',
      label: 'Last',
      value: p(s.last),
      sub: s.changePct === null ? undefined : `${signed(s.changePct)} vs prior close`,
      tone: toneOf(s.changePct),
    },
    {
      id: 'prior',
      label: s.priorDate ? `Prior close ${s.priorDate.slice(5)}` : 'Prior close',
      value: p(s.priorClose),
    },
    {
      id: 'gap',
      label: s.gapBasis === 'pre' ? 'Gap (pre-market)' : 'Gap',
      value: s.gapPct === null ? '—' : signed(s.gapPct),
      tone: toneOf(s.gapPct),
    },
    {
      id: 'rvol',
      label: 'Rel. volume',
      value: s.rvol === null ? '—' : `${s.rvol.toFixed(2)}×`,
      sub: s.volume === null ? undefined : `${Number(s.volume).toLocaleString('en-US')} sh`,
    },
    { id: 'high', label: 'High of day', value: p(s.high) },
    { id: 'low', label: 'Low of day', value: p(s.low) },
    { id: 'vwap', label: 'VWAP', value: p(s.vwap) },
  ];
}

export function SymbolLive(props: SymbolLiveProps) {
  const { symbol, day, openAt, shift, transport } = props;
  const router = useRouter();
  const [bars, setBars] = useState(props.bars);
  const [alerts, setAlerts] = useState(props.alerts);
  const [stats, setStats] = useState(props.stats);
  const barsRef = useRef(bars);
  barsRef.current = bars;
  const inFlight = useRef(false);
  const again = useRef(false);

  const refresh = useCallback(async (): Promise<void> => {
    // One request at a time; one asked for meanwhile (an alert just came) runs right after it, so
    // an answer read before the alert committed is not the last word.
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    try {
      const from = barsRef.current.at(-1)?.t ?? 0;
      const res = await fetch(`/symbol/${encodeURIComponent(symbol)}/bars?day=${day}&from=${from}`, {
        cache: 'no-store',
      });
      if (!res.ok) return;
      const r = (await res.json()) as { day: string; bars: IntradayBar[]; stats: KeyNumbers };
      if (r.day !== day) {
        router.refresh(); // a new trading day: the server renders it from scratch
        return;
      }
      setStats(r.stats);
      if (r.bars.length > 0) setBars((prev) => prev.filter((b) => b.t < from).concat(r.bars));
    } catch {
      // offline or the server restarting: the next tick tries again
    } finally {
      inFlight.current = false;
      if (again.current) {
        again.current = false;
        void refresh();
      }
    }
  }, [symbol, day, router]);

  useEffect(() => {
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, REFRESH_MS);
    return () => clearInterval(t);
  }, [refresh]);

  const onAlert = useCallback(
    (a: LiveAlert) => {
      if (a.symbol !== symbol) return;
      setAlerts((prev) => (prev.some((x) => x.id === a.id) ? prev : [a, ...prev]));
      void refresh(); // the numbers move with the alert; its bar follows when its minute closes
    },
    [symbol, refresh],
  );
  const live = useLiveAlerts({ transport, onAlert, since: props.since });

  const markers = useMemo<BarMarker[]>(
    () => alerts.map((a) => ({ t: atOf(a), tone: kindOf(a.type).tone, label: kindOf(a.type).short })),
    [alerts],
  );
  const tradeHref = `/trades/new?symbol=${encodeURIComponent(symbol)}${stats.last ? `&price=${displayPrice(stats.last)}` : ''}`;

  return (
    <div data-live-state={live.state}>
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-7">
        {numbers(stats).map((n) => (
          <Stat key={n.id} {...n} />
        ))}
      </div>

      <div className="mt-3 flex items-center justify-between gap-2">
        <h2 className="text-sm font-semibold">
          1-minute · {day}
          <span className="ml-2 hidden text-[11px] font-normal text-muted sm:inline">
            New York time · VWAP in violet (dashed: pre-market)
          </span>
        </h2>
        <Link
          href={tradeHref}
          data-testid="open-trade"
          className="flex h-10 shrink-0 items-center rounded bg-accent px-4 text-sm font-semibold text-bg hover:opacity-90"
        >
          Open a trade
        </Link>
      </div>
      <section className="mt-2" aria-label={`${symbol} intraday chart`}>
        {bars.length > 0 ? (
          <IntradayChart bars={bars} markers={markers} shift={shift} openAt={openAt} />
        ) : (
          <p className="rounded border border-line px-3 py-10 text-center text-muted">
            No 1-minute bars for {symbol} on {day} yet: they appear as the screener closes each minute.
          </p>
        )}
      </section>

      <section className="mt-4" aria-label="Alerts today">
        <h2 className="mb-1 text-sm font-semibold">
          Alerts on {day} <span className="font-normal text-muted">({alerts.length})</span>
        </h2>
        {alerts.length === 0 ? (
          <p className="rounded border border-line px-3 py-6 text-center text-muted">
            No alerts for {symbol} that day.
          </p>
        ) : (
          <ol className="divide-y divide-line border-y border-line" data-testid="symbol-timeline">
            {alerts.map((a) => {
              const kind = kindOf(a.type);
              const pct = pctText(a.details);
              const rvol = rvolText(a.details);
              return (
                <li
                  key={a.id}
                  data-testid="symbol-alert"
                  data-id={a.id}
                  className="tabular grid min-h-10 grid-cols-[4.5rem_minmax(0,1fr)_auto] items-center gap-x-3 py-1.5 sm:grid-cols-[4.5rem_11rem_6rem_5rem_minmax(0,1fr)]"
                >
                  <span className="font-mono text-muted">{nyTime.format(new Date(atOf(a) * 1000))}</span>
                  <span className={`truncate ${TONE_CLASS[kind.tone].text}`}>{kind.label}</span>
                  <span className="text-right font-mono">{displayPrice(a.price)}</span>
                  <span className="hidden text-right font-mono sm:block">{pct?.text ?? ''}</span>
                  <span className="col-span-3 truncate text-[11px] text-muted sm:col-span-1">
                    {a.session}
                    {rvol ? ` · RVOL ${rvol}` : ''} · score {a.score.toFixed(2)}
                    {pct ? <span className="sm:hidden"> · {pct.text}</span> : null}
                  </span>
                </li>
              );
            })}
          </ol>
        )}
      </section>
    </div>
  );
}
