import { tickerSchema } from '@tradeassist/core/alert';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AlertTimelineChart, type CandlePoint, DailyCandlesChart } from '@/components/symbol-chart.tsx';
import { TopBar } from '@/components/top-bar.tsx';
import { kindOf, TONE_CLASS } from '@/lib/feed/alert-kinds.ts';
import { pctText, rvolText } from '@/lib/feed/alert-metrics.ts';
import { displayPrice } from '@/lib/format.ts';
import { chartTime, symbolView } from '@/lib/server/symbol-view.ts';

export const dynamic = 'force-dynamic';

const nyTime = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

function Stat({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <div className="rounded border border-line bg-panel px-3 py-2">
      <div className="text-[11px] uppercase tracking-wide text-muted">{label}</div>
      <div className={`tabular font-mono text-base font-semibold ${tone ?? ''}`}>{value}</div>
    </div>
  );
}

// One symbol: key numbers, the day's alerts on a price line, daily candles and the alert timeline.
export default async function SymbolPage({ params }: { params: Promise<{ ticker: string }> }) {
  const raw = decodeURIComponent((await params).ticker).toUpperCase();
  const parsed = tickerSchema.safeParse(raw);
  if (!parsed.success) notFound();
  const v = await symbolView(parsed.data);
  const newest = v.alerts[0];
  // Chart values are numbers for plotting only; the page shows the exact decimal strings.
  const points = v.dayAlerts.map((a) => ({
    time: chartTime(a.ts_event),
    price: Number(a.price),
    tone: kindOf(a.type).tone,
    label: kindOf(a.type).short,
  }));
  const candles: CandlePoint[] = v.bars.map((b) => ({
    time: b.trade_date,
    open: Number(b.open),
    high: Number(b.high),
    low: Number(b.low),
    close: Number(b.close),
  }));
  const change = v.changePct;
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
        <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          <Stat label="Last alert price" value={newest ? displayPrice(newest.price) : '—'} />
          <Stat
            label={v.priorDate ? `Prior close (${v.priorDate})` : 'Prior close'}
            value={v.priorClose ? displayPrice(v.priorClose) : '—'}
          />
          <Stat
            label="Change vs prior close"
            value={change === null ? '—' : `${change > 0 ? '+' : ''}${change.toFixed(2)}%`}
            tone={change === null ? '' : change > 0 ? 'text-up' : change < 0 ? 'text-down' : ''}
          />
          <Stat label="Alerts that day" value={String(v.dayAlerts.length)} />
        </div>

        <section className="mt-4">
          <h2 className="mb-1 text-sm font-semibold">Alerts on {v.day ?? '—'}</h2>
          {points.length > 0 ? (
            <AlertTimelineChart points={points} />
          ) : (
            <p className="rounded border border-line px-3 py-6 text-center text-muted">
              No alerts for {v.symbol}.
            </p>
          )}
          <p className="mt-1 text-[11px] text-muted">
            Prices at which alerts fired, New York time. Intraday 1-minute candles and VWAP need an intraday
            bar store, which does not exist yet.
          </p>
        </section>

        {candles.length > 0 && (
          <section className="mt-4">
            <h2 className="mb-1 text-sm font-semibold">Daily bars</h2>
            <DailyCandlesChart candles={candles} />
          </section>
        )}

        <section className="mt-4">
          <h2 className="mb-1 text-sm font-semibold">Timeline</h2>
          <ol className="divide-y divide-line border-y border-line" data-testid="symbol-timeline">
            {v.alerts.map((a) => {
              const kind = kindOf(a.type);
              const pct = pctText(a.details);
              const rvol = rvolText(a.details);
              const at = new Date(Number(BigInt(a.ts_event) / 1_000_000n));
              return (
                <li key={a.id} className="tabular flex min-h-10 flex-wrap items-center gap-x-3 py-1.5">
                  <span className="w-16 font-mono text-muted">{nyTime.format(at)}</span>
                  <span className={`w-36 ${TONE_CLASS[kind.tone].text}`}>{kind.label}</span>
                  <span className="w-20 text-right font-mono">{displayPrice(a.price)}</span>
                  <span className="w-16 text-right font-mono">{pct?.text ?? ''}</span>
                  <span className="text-[11px] text-muted">
                    {a.session}
                    {rvol ? ` · RVOL ${rvol}` : ''} · score {a.score.toFixed(2)}
                  </span>
                </li>
              );
            })}
          </ol>
        </section>
      </main>
    </>
  );
}
