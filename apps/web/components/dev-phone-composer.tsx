'use client';
// The dev phone's keyboard: one line and Send. Clears itself after each send; the thread above
// refreshes on its own (AutoRefresh), so the stored inbound row and any reply appear there.
import { useActionState, useEffect, useRef } from 'react';
import { type DevPhoneState, sendDevSms } from '@/app/dev-phone/actions.ts';

const INITIAL: DevPhoneState = { seq: 0, error: null, reply: null };

export function DevPhoneComposer() {
  const [state, action, pending] = useActionState(sendDevSms, INITIAL);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.seq > 0 && !state.error) form.current?.reset();
  }, [state]);
  return (
    <form ref={form} action={action} aria-label="Send a text" className="space-y-1">
      {state.reply && (
        <p role="status" className="rounded border border-line bg-panel px-2 py-1 text-[12px] text-muted">
          Auto-reply: <span className="text-text">{state.reply}</span>
        </p>
      )}
      {state.error && (
        <p role="alert" className="text-[12px] text-down">
          {state.error}
        </p>
      )}
      <div className="flex gap-2">
        <input
          name="body"
          aria-label="Message"
          placeholder="took AAPL 150.20 stop 148"
          autoComplete="off"
          maxLength={1600}
          required
          className="h-11 min-w-0 flex-1 rounded border border-line bg-bg px-3 text-base sm:text-[13px]"
        />
        <button
          type="submit"
          disabled={pending}
          className="h-11 rounded bg-accent px-4 font-semibold text-bg disabled:opacity-50"
        >
          {pending ? 'Sending' : 'Send'}
        </button>
      </div>
    </form>
  );
}
