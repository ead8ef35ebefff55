// The trades table of /trades: one row per trade, dense on desktop, two lines on a phone; numbers in
// tabular mono, P&L and R green or red. Each row links to the trade's page.
import Link from 'next/link';
import type { TradeRow } from '@/lib/server/trades.ts';
import {
  formatPnl,
  formatPrice,
  formatQuantity,
  formatR,
  rMultiple,
  signOf,
} from '@/lib/server/trades-format.ts';

const tone = (s: -1 | 0 | 1) => (s > 0 ? 'text-up' : s < 0 ? 'text-down' : 'text-muted');

export function TradeList({ trades, label }: { trades: TradeRow[]; label: string }) {
  if (trades.length === 0) return null;
  return (
    <table className="w-full border-collapse text-left sm:table-fixed" aria-label={label}>
      <thead className="hidden text-[11px] uppercase tracking-wide text-muted sm:table-header-group">
        <tr className="border-b border-line">
          <th className="w-[22%] py-1 pr-2 font-normal">Symbol</th>
          <th className="px-2 text-right font-normal">Qty</th>
          <th className="px-2 text-right font-normal">Entry</th>
          <th className="px-2 text-right font-normal">Stop</th>
          <th className="px-2 text-right font-normal">Target</th>
          <th className="px-2 text-right font-normal">Exit</th>
          <th className="px-2 text-right font-normal">P&amp;L</th>
          <th className="pl-2 text-right font-normal">R</th>
        </tr>
      </thead>
      <tbody>
        {trades.map((t) => {
          const r = rMultiple(t);
          const stop = t.current_stop ?? t.stop;
          return (
            <tr
              key={t.id}
              data-testid="trade-row"
              data-symbol={t.symbol}
              className={`relative grid grid-cols-[1fr_auto] gap-x-3 border-b border-line py-2 hover:bg-panel sm:table-row ${t.status === 'cancelled' ? 'opacity-60' : ''}`}
            >
              <td className="py-0 sm:py-2 sm:pr-2">
                <Link href={`/trades/${t.id}`} className="after:absolute after:inset-0">
                  <span className="font-mono text-[15px] font-semibold">{t.symbol}</span>{' '}
                  <span
                    className={`text-[12px] font-semibold uppercase ${t.side === 'long' ? 'text-up' : 'text-down'}`}
                  >
                    {t.side}
                  </span>
                  {t.status !== 'open' && t.status !== 'closed' && (
                    <span className="ml-1 text-[11px] text-muted">{t.status}</span>
                  )}
                </Link>
              </td>
              <td className="col-start-1 row-start-2 font-mono text-[12px] text-muted tabular sm:table-cell sm:px-2 sm:text-right sm:text-[13px] sm:text-text">
                <span className="sm:hidden">
                  {formatQuantity(t.quantity)} @ {formatPrice(t.entry)} · stop {formatPrice(stop)} · tgt{' '}
                  {formatPrice(t.target)}
                  {t.exit_price && ` · exit ${formatPrice(t.exit_price)}`}
                </span>
                <span className="hidden sm:inline">{formatQuantity(t.quantity)}</span>
              </td>
              <td className="hidden px-2 text-right font-mono tabular sm:table-cell">
                {formatPrice(t.entry)}
              </td>
              <td className="hidden px-2 text-right font-mono tabular sm:table-cell">{formatPrice(stop)}</td>
              <td className="hidden px-2 text-right font-mono tabular sm:table-cell">
                {formatPrice(t.target)}
              </td>
              <td className="hidden px-2 text-right font-mono tabular sm:table-cell">
                {formatPrice(t.exit_price)}
              </td>
              <td
                className={`col-start-2 row-start-1 text-right font-mono text-[15px] font-semibold tabular sm:table-cell sm:px-2 sm:text-[13px] ${tone(signOf(t.realized_pnl))}`}
              >
                {formatPnl(t.realized_pnl)}
              </td>
              <td
                className={`col-start-2 row-start-2 text-right font-mono text-[12px] tabular sm:table-cell sm:pl-2 sm:text-[13px] ${tone(signOf(r))}`}
              >
                {formatR(r)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
