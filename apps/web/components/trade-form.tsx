'use client';
// The new-trade form (/trades/new, prefilled from ?symbol=&price=): validated on the server by the
// open action, which inserts the trade and starts its workflow; the risk line updates as one types.
import { useActionState, useEffect, useState } from 'react';
import { type FormState, openTradeAction } from '@/app/trades/actions.ts';
import { riskSummary } from '@/lib/server/trades-format.ts';
import { buttonClass, FormMessage, TradeField } from './trade-fields.tsx';

const INITIAL: FormState = { ok: false, message: null, issues: {}, seq: 0 };

export function TradeForm({ symbol, price }: { symbol: string; price: string }) {
  const [state, action, pending] = useActionState(openTradeAction, INITIAL);
  const [v, setV] = useState({ symbol, side: 'long', quantity: '', entry: price, stop: '', target: '' });
  const set = (k: keyof typeof v) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setV((x) => ({ ...x, [k]: e.target.value }));
  const risk = riskSummary(v.side === 'short' ? 'short' : 'long', v.quantity, v.entry, v.stop, v.target);
  const issue = (k: string) => state.issues[k];
  // Controlled fields: marks when typing reaches React (tests wait for it; so could a slow phone).
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <form
      action={action}
      aria-label="Open a trade"
      data-hydrated={hydrated || undefined}
      className="space-y-3 rounded border border-line bg-panel p-3"
    >
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        <TradeField
          label="Symbol"
          name="symbol"
          value={v.symbol}
          onChange={set('symbol')}
          placeholder="NVDA"
          autoCapitalize="characters"
          required
          error={issue('symbol')}
        />
        <fieldset className="min-w-0">
          <legend className="text-[11px] uppercase tracking-wide text-muted">Side</legend>
          <div className="mt-0.5 grid h-11 grid-cols-2 overflow-hidden rounded border border-line">
            {(['long', 'short'] as const).map((s) => (
              <label
                key={s}
                className={`flex cursor-pointer items-center justify-center font-semibold has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent ${
                  v.side === s ? (s === 'long' ? 'bg-up/20 text-up' : 'bg-down/20 text-down') : 'text-muted'
                }`}
              >
                <input
                  type="radio"
                  name="side"
                  value={s}
                  checked={v.side === s}
                  onChange={() => setV((x) => ({ ...x, side: s }))}
                  className="sr-only"
                />
                {s === 'long' ? 'Long' : 'Short'}
              </label>
            ))}
          </div>
          {issue('side') && <span className="text-[12px] text-down">{issue('side')}</span>}
        </fieldset>
        <TradeField
          label="Quantity"
          name="quantity"
          inputMode="decimal"
          placeholder="100"
          value={v.quantity}
          onChange={set('quantity')}
          required
          error={issue('quantity')}
        />
        <TradeField
          label="Entry"
          name="entry"
          inputMode="decimal"
          placeholder="150.20"
          value={v.entry}
          onChange={set('entry')}
          required
          error={issue('entry')}
        />
        <TradeField
          label="Stop"
          name="stop"
          inputMode="decimal"
          placeholder={v.side === 'long' ? 'below entry' : 'above entry'}
          value={v.stop}
          onChange={set('stop')}
          error={issue('stop')}
        />
        <TradeField
          label="Target"
          name="target"
          inputMode="decimal"
          placeholder={v.side === 'long' ? 'above entry' : 'below entry'}
          value={v.target}
          onChange={set('target')}
          error={issue('target')}
        />
      </div>
      <p className="tabular font-mono text-[12px] text-muted" data-testid="risk-line">
        {risk ?? 'Risk shows once quantity, entry and stop are set.'}
      </p>
      <FormMessage ok={state.ok} message={state.message} />
      <button type="submit" disabled={pending} className={`${buttonClass} w-full sm:w-auto`}>
        {pending ? 'Opening…' : 'Open trade'}
      </button>
    </form>
  );
}
