'use client';
// The open trade's controls on /trades/[id]: move the stop, move the target, close part or all,
// cancel, and a note. Each is a small form posting to a server action that checks it and signals
// the trade's workflow; the answer shows under the form that sent it.
import { useActionState } from 'react';
import {
  cancelAction,
  closeAction,
  type FormState,
  moveStopAction,
  moveTargetAction,
  noteAction,
} from '@/app/trades/actions.ts';
import { buttonClass, FormMessage, quietButtonClass, TradeField } from './trade-fields.tsx';

const INITIAL: FormState = { ok: false, message: null, issues: {}, seq: 0 };
type Action = (prev: FormState, form: FormData) => Promise<FormState>;

function MiniForm({
  label,
  action,
  tradeId,
  children,
  submit,
  danger,
  className,
}: {
  label: string;
  action: Action;
  tradeId: string;
  children: (state: FormState) => React.ReactNode;
  submit: string;
  danger?: boolean;
  className?: string;
}) {
  const [state, formAction, pending] = useActionState(action, INITIAL);
  return (
    <form
      action={formAction}
      aria-label={label}
      className={`flex flex-col gap-2 rounded border border-line bg-panel p-2.5 ${className ?? ''}`}
    >
      <input type="hidden" name="tradeId" value={tradeId} />
      {/* Remounted per answer: after a refusal the fields come back as typed (state.values). */}
      <div key={state.seq} className="grid flex-1 auto-cols-fr grid-flow-col items-end gap-2">
        {children(state)}
      </div>
      <button
        type="submit"
        disabled={pending}
        className={danger ? `${quietButtonClass} w-full text-down` : `${buttonClass} w-full`}
      >
        {pending ? '…' : submit}
      </button>
      <FormMessage ok={state.ok} message={state.message} />
    </form>
  );
}

export function TradeActions({
  tradeId,
  side,
  openQuantity,
  open,
}: {
  tradeId: string;
  side: 'long' | 'short';
  openQuantity: string;
  open: boolean;
}) {
  return (
    <div className="grid grid-cols-2 gap-2">
      {open && (
        <>
          <MiniForm label="Move stop" action={moveStopAction} tradeId={tradeId} submit="Move stop">
            {(s) => (
              <TradeField
                label="New stop"
                name="stop"
                inputMode="decimal"
                required
                defaultValue={s.values?.stop}
                error={s.issues.stop}
              />
            )}
          </MiniForm>
          <MiniForm label="Move target" action={moveTargetAction} tradeId={tradeId} submit="Move target">
            {(s) => (
              <TradeField
                label="New target"
                name="target"
                inputMode="decimal"
                required
                defaultValue={s.values?.target}
                error={s.issues.target}
              />
            )}
          </MiniForm>
          <MiniForm
            label="Close"
            action={closeAction}
            tradeId={tradeId}
            submit={side === 'long' ? 'Sell' : 'Cover'}
            className="col-span-2"
          >
            {(s) => (
              <>
                <TradeField
                  label="Exit price"
                  name="exit"
                  inputMode="decimal"
                  required
                  defaultValue={s.values?.exit}
                  error={s.issues.exit}
                />
                <TradeField
                  label="Shares"
                  name="quantity"
                  inputMode="decimal"
                  placeholder={`all ${openQuantity}`}
                  defaultValue={s.values?.quantity}
                  error={s.issues.quantity}
                />
              </>
            )}
          </MiniForm>
        </>
      )}
      <MiniForm label="Note" action={noteAction} tradeId={tradeId} submit="Add note" className="col-span-2">
        {(s) => (
          <TradeField
            label="Note"
            name="text"
            placeholder="Why in, why out, what to repeat"
            maxLength={2000}
            required
            defaultValue={s.values?.text}
            error={s.issues.text}
          />
        )}
      </MiniForm>
      {open && (
        <MiniForm
          label="Cancel trade"
          action={cancelAction}
          tradeId={tradeId}
          submit="Cancel trade"
          danger
          className="col-span-2"
        >
          {() => <p className="text-[12px] text-muted">Not filled after all? Cancel records no P&amp;L.</p>}
        </MiniForm>
      )}
    </div>
  );
}
