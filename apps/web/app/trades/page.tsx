import Link from 'next/link';
import { TopBar } from '@/components/top-bar.tsx';
import { TradeList } from '@/components/trade-list.tsx';
import { currentUserId } from '@/lib/server/auth.ts';
import { listTrades, todaysPnl } from '@/lib/server/trades.ts';
import { formatPnl, signOf } from '@/lib/server/trades-format.ts';

export const dynamic = 'force-dynamic';

// The trades: today's realized P&L on top, then open trades, then the latest finished ones.
export default async function TradesPage() {
  const userId = await currentUserId();
  const [trades, today] = await Promise.all([listTrades(userId), todaysPnl(userId)]);
  const open = trades.filter((t) => t.status === 'open' || t.status === 'pending');
  const done = trades.filter((t) => t.status === 'closed' || t.status === 'cancelled');
  const s = signOf(today.pnl);
  return (
    <>
      <TopBar active="Trades" />
      <main className="mx-auto max-w-6xl space-y-4 px-3 py-2 pb-10">
        <div className="flex items-center justify-between gap-3">
          <div>
            <h1 className="text-sm font-semibold">Trades</h1>
            <p className="text-muted">
              Today{' '}
              <span
                data-testid="today-pnl"
                className={`font-mono text-lg font-semibold tabular ${s > 0 ? 'text-up' : s < 0 ? 'text-down' : 'text-text'}`}
              >
                {formatPnl(today.pnl)}
              </span>{' '}
              <span className="text-[11px]">
                realized · {today.closed} closed · {open.length} open
              </span>
            </p>
          </div>
          <Link
            href="/trades/new"
            className="flex h-11 shrink-0 items-center whitespace-nowrap rounded bg-accent px-4 font-semibold text-bg"
          >
            + Trade
          </Link>
        </div>
        <section aria-labelledby="open-h">
          <h2 id="open-h" className="mb-1 text-[11px] uppercase tracking-wide text-muted">
            Open
          </h2>
          {open.length === 0 ? (
            <p className="text-muted">No open trades.</p>
          ) : (
            <TradeList trades={open} label="Open trades" />
          )}
        </section>
        <section aria-labelledby="closed-h">
          <h2 id="closed-h" className="mb-1 text-[11px] uppercase tracking-wide text-muted">
            Closed
          </h2>
          {done.length === 0 ? (
            <p className="text-muted">No closed trades yet.</p>
          ) : (
            <TradeList trades={done} label="Closed trades" />
          )}
        </section>
      </main>
    </>
  );
}
