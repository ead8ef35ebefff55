import { age, displayPrice } from '@/lib/format.ts';
import type { ApiAlert } from '@/lib/server/alerts.ts';

const LABELS: Record<string, string> = {
  gap_up: 'Gap up',
  gap_down: 'Gap down',
  volume_spike: 'Volume spike',
  momentum_up: 'Momentum up',
  momentum_down: 'Momentum down',
  new_high_of_day: 'New HOD',
  new_low_of_day: 'New LOD',
  vwap_cross_up: 'VWAP cross up',
  vwap_cross_down: 'VWAP cross down',
  rsi_overbought: 'RSI overbought',
  rsi_oversold: 'RSI oversold',
  macd_cross_up: 'MACD cross up',
  macd_cross_down: 'MACD cross down',
  bollinger_break_up: 'Bollinger break up',
  bollinger_break_down: 'Bollinger break down',
  halt: 'Halt',
  resume: 'Resume',
  rule: 'Rule',
};

const BEARISH = /(_down|_oversold|new_low|halt)/;

export function AlertTable({ alerts, now }: { alerts: ApiAlert[]; now: number }) {
  if (alerts.length === 0) {
    return (
      <p className="px-3 py-8 text-center text-muted">
        No alerts yet. They appear here as the screener finds them.
      </p>
    );
  }
  return (
    <table className="tabular w-full border-collapse">
      <thead className="text-left text-[11px] uppercase tracking-wide text-muted">
        <tr className="border-b border-line">
          <th className="px-2 py-1.5 font-medium">Symbol</th>
          <th className="px-2 py-1.5 font-medium">Type</th>
          <th className="px-2 py-1.5 text-right font-medium">Price</th>
          <th className="px-2 py-1.5 text-right font-medium">Score</th>
          <th className="px-2 py-1.5 text-right font-medium">Age</th>
        </tr>
      </thead>
      <tbody>
        {alerts.map((a) => (
          <tr key={a.id} className="border-b border-line/60 hover:bg-panel">
            <td className="px-2 py-1 font-mono font-semibold">{a.symbol}</td>
            <td className={`px-2 py-1 ${BEARISH.test(a.type) ? 'text-down' : 'text-up'}`}>
              {LABELS[a.type] ?? a.type}
              {a.session !== 'regular' && <span className="ml-1 text-[11px] text-muted">{a.session}</span>}
            </td>
            <td className="px-2 py-1 text-right font-mono">{displayPrice(a.price)}</td>
            <td className="px-2 py-1 text-right font-mono">{a.score.toFixed(2)}</td>
            <td className="px-2 py-1 text-right text-muted" title={a.created_at}>
              {age(a.created_at, now)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
