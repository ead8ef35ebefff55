import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { AutoRefresh } from '@/components/auto-refresh.tsx';
import { TopBar } from '@/components/top-bar.tsx';
import { TradeActions } from '@/components/trade-actions.tsx';
import { TradeJournal } from '@/components/trade-journal.tsx';
import { currentUserId } from '@/lib/server/auth.ts';
import { getTrade, tradeEvents } from '@/lib/server/trades.ts';
import {
  formatPnl,
  formatPrice,
  formatQuantity,
  formatR,
  openQuantity,
  rMultiple,
  signOf,
} from '@/lib/server/trades-format.ts';
import { journalLine } from '@/lib/server/trades-journal.ts';

export const dynamic = 'force-dynamic';

const tone = (s: -1 | 0 | 1) => (s > 0 ? 'text-up' : s < 0 ? 'text-down' : '');

function Stat({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className="min-w-0">
      <div className="text-[11px] uppercase tracking-wide text-muted">{label}</div>
      <div className={`font-mono text-[15px] tabular ${className ?? ''}`}>{children}</div>
    </div>
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// One trade: its numbers, the controls while it is open, and its journal. Refreshes while open,
// since the workflow records each change a moment after the signal.
export default async function TradePage({ params }: { params: Promise<{ id: string }> }) {
  const userId = await currentUserId();
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const trade = await getTrade(userId, id);
  if (!trade) notFound();
  const events = await tradeEvents(userId, id);
  const lines = events.map((e) => journalLine(e, trade.side));
  const open = trade.status === 'open' || trade.status === 'pending';
  const r = rMultiple(trade);
  const stop = trade.current_stop ?? trade.stop;
  const left = openQuantity(trade.quantity, trade.exited_quantity);
  return (
    <>
      <TopBar active="Trades" />
      {open && <AutoRefresh everyMs={5_000} />}
      <main className="mx-auto max-w-6xl space-y-4 px-3 py-2 pb-10">
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
          <Link href="/trades" className="text-accent" aria-label="All trades">
            ← Trades
          </Link>
          <h1 className="font-mono text-xl font-semibold">
            <Link href={`/symbol/${encodeURIComponent(trade.symbol)}`}>{trade.symbol}</Link>
          </h1>
          <span className={`font-semibold uppercase ${trade.side === 'long' ? 'text-up' : 'text-down'}`}>
            {trade.side}
          </span>
          <span
            data-testid="trade-status"
            className="rounded border border-line px-1.5 text-[12px] text-muted"
          >
            {trade.status}
          </span>
        </div>
        <div className="grid grid-cols-3 gap-3 rounded border border-line bg-panel p-3 sm:grid-cols-5 lg:grid-cols-9">
          <Stat label="Quantity">{formatQuantity(trade.quantity)}</Stat>
          <Stat label="Open">{left}</Stat>
          <Stat label="Entry">{formatPrice(trade.entry)}</Stat>
          <Stat label="Stop">
            {formatPrice(stop)}
            {trade.current_stop && trade.stop && trade.current_stop !== trade.stop && (
              <span className="ml-1 text-[11px] text-muted">from {formatPrice(trade.stop)}</span>
            )}
          </Stat>
          <Stat label="Target">{formatPrice(trade.target)}</Stat>
          <Stat label="Exit">{formatPrice(trade.exit_price)}</Stat>
          <Stat label="P&L" className={`font-semibold ${tone(signOf(trade.realized_pnl))}`}>
            <span data-testid="trade-pnl">{formatPnl(trade.realized_pnl)}</span>
          </Stat>
          <Stat label="R" className={tone(signOf(r))}>
            {formatR(r)}
          </Stat>
          <Stat label="Fees">{formatPnl(trade.fees).replace('+', '')}</Stat>
        </div>
        <div className="grid gap-4 lg:grid-cols-[1fr_minmax(0,28rem)]">
          <section aria-labelledby="journal-h" className={open ? 'order-2 lg:order-1' : 'order-1'}>
            <h2 id="journal-h" className="mb-1 text-[11px] uppercase tracking-wide text-muted">
              Journal
            </h2>
            <TradeJournal lines={lines} />
          </section>
          <section
            aria-label={open ? 'Change the trade' : 'Notes'}
            className={open ? 'order-1 lg:order-2' : 'order-2'}
          >
            <TradeActions tradeId={trade.id} side={trade.side} openQuantity={left} open={open} />
          </section>
        </div>
      </main>
    </>
  );
}
