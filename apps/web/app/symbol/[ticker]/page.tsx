import { tickerSchema } from '@tradeassist/core/alert';
import { etOffsetSeconds } from '@tradeassist/core/calendar';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AlertTimelineChart, type CandlePoint, DailyCandlesChart } from '@/components/symbol-chart.tsx';
import { TopBar } from '@/components/top-bar.tsx';
import { kindOf } from '@/lib/feed/alert-kinds.ts';
import { liveTransportConfig } from '@/lib/server/live-config.ts';
import { chartTime, symbolView } from '@/lib/server/symbol-view.ts';
import { SymbolLive } from './symbol-live.tsx';

export const dynamic = 'force-dynamic';

// One symbol's trading day: key numbers, 1-minute candles with VWAP, volume and the alerts marked,
// the day's alerts (live), an "open a trade" link at the last price, and daily candles for context.
export default async function SymbolPage({ params }: { params: Promise<{ ticker: string }> }) {
  const raw = decodeURIComponent((await params).ticker).toUpperCase();
  const parsed = tickerSchema.safeParse(raw);
  if (!parsed.success) notFound();
  const v = await symbolView(parsed.data);
  const candles: CandlePoint[] = v.daily.map((b) => ({
    time: b.trade_date,
    open: Number(b.open),
    high: Number(b.high),
    low: Number(b.low),
    close: Number(b.close),
  }));
  // Without stored bars (a screener running with --sink stdout, or an older day) the alerts alone
  // still draw the day as a price line.
  const points =
    v.bars.length === 0
      ? v.alerts.map((a) => ({
          time: chartTime(a.ts_event),
          price: Number(a.price),
          tone: kindOf(a.type).tone,
          label: kindOf(a.type).short,
        }))
      : [];
  return (
    <>
      <TopBar active="Alerts" />
      <main className="mx-auto max-w-6xl px-3 pb-10">
        <div className="flex items-baseline gap-3 py-3">
          <Link href="/" className="flex h-10 items-center text-accent" aria-label="Back to alerts">
            ←
          </Link>
          <h1 className="font-mono text-xl font-semibold">{v.symbol}</h1>
          {v.day && <span className="text-[11px] text-muted">trading day {v.day} (New York)</span>}
        </div>
        {v.day && v.openAt !== null ? (
          <SymbolLive
            symbol={v.symbol}
            day={v.day}
            openAt={v.openAt}
            shift={etOffsetSeconds(v.openAt)}
            bars={v.bars}
            alerts={v.alerts}
            stats={v.stats}
            since={v.latestAlertId}
            transport={liveTransportConfig()}
          />
        ) : (
          <p className="rounded border border-line px-3 py-10 text-center text-muted">
            Nothing for {v.symbol} yet: no 1-minute bars and no alerts.
          </p>
        )}

        {points.length > 0 && (
          <section className="mt-4">
            <h2 className="mb-1 text-sm font-semibold">Alert prices on {v.day}</h2>
            <AlertTimelineChart points={points} />
          </section>
        )}

        {candles.length > 0 && (
          <section className="mt-4">
            <h2 className="mb-1 text-sm font-semibold">Daily bars</h2>
            <DailyCandlesChart candles={candles} />
          </section>
        )}
      </main>
    </>
  );
}
