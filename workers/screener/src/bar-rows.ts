// Engine bars (raw 1e-9 fixed-point numbers) -> the nine text columns of the intraday_bars upsert.
// Prices become exact decimal strings (fixedToDecimal), never floats on the wire; the VWAP, a
// derived average, is rounded to the nearest raw unit (1e-9) first. A minute reported twice in one
// batch (flushBars, then complete) keeps its last report: one upsert cannot touch a row twice.
import { fixedToDecimal } from '@tradeassist/core/money';
import type { MinuteBar } from '@tradeassist/screener';

export type BarColumns = [
  string[],
  string[],
  string[],
  string[],
  string[],
  string[],
  string[],
  (string | null)[],
  string[],
];

export function barRows(batch: readonly MinuteBar[]): BarColumns {
  const last = new Map<string, number>();
  for (let i = 0; i < batch.length; i++) {
    const b = batch[i]!;
    last.set(`${b.symbol}\u0000${b.ts}`, i);
  }
  const cols: BarColumns = [[], [], [], [], [], [], [], [], []];
  for (const i of last.values()) {
    const b = batch[i]!;
    cols[0].push(b.symbol);
    cols[1].push(String(b.ts));
    cols[2].push(fixedToDecimal(b.open));
    cols[3].push(fixedToDecimal(b.high));
    cols[4].push(fixedToDecimal(b.low));
    cols[5].push(fixedToDecimal(b.close));
    cols[6].push(String(b.volume));
    cols[7].push(b.volume > 0 ? fixedToDecimal(Math.round(b.pv / b.volume)) : null);
    cols[8].push(String(b.trades));
  }
  return cols;
}
