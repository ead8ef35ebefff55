'use client';
// The phone number on /settings: type a number, get a 6-digit code by SMS, type it back. The number
// becomes the profile's only after the code matches (server actions in app/settings/actions.ts).
import { useActionState } from 'react';
import { type SettingsState, sendCodeAction, verifyCodeAction } from '@/app/settings/actions.ts';
import { buttonClass, FormMessage, inputClass, quietButtonClass } from './trade-fields.tsx';

const INITIAL: SettingsState = { ok: false, message: null, issues: {}, seq: 0 };

export function SettingsPhone({
  phone,
  verified,
  optIn,
  pending,
}: {
  phone: string | null;
  verified: boolean;
  optIn: string;
  pending: { phone: string; expires_at: string } | null;
}) {
  const [sendState, send, sending] = useActionState(sendCodeAction, INITIAL);
  const [verifyState, verify, verifying] = useActionState(verifyCodeAction, INITIAL);
  const awaiting = pending !== null && !verifyState.ok;
  return (
    <section aria-label="Phone" className="space-y-3 rounded border border-line bg-panel p-3">
      <h2 className="text-sm font-semibold">Phone for SMS</h2>
      <p data-testid="phone-status" className="text-[13px]">
        {phone ? (
          <>
            <span className="font-mono">{phone}</span>{' '}
            {verified ? (
              <span className="text-up">verified</span>
            ) : (
              <span className="text-halt">not verified</span>
            )}
            {optIn === 'opted_out' && (
              <span className="text-down"> · replied STOP (text START to resume)</span>
            )}
          </>
        ) : (
          <span className="text-muted">No phone yet: SMS alerts need a verified number.</span>
        )}
      </p>
      <form action={send} aria-label="Send code" className="flex items-start gap-2">
        <label className="block min-w-0 flex-1">
          <span className="sr-only">Phone number</span>
          <input
            key={sendState.seq}
            name="phone"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            placeholder="+14155550123"
            defaultValue={sendState.phone ?? pending?.phone ?? ''}
            required
            aria-label="Phone number"
            aria-invalid={sendState.issues.phone ? true : undefined}
            className={`${inputClass} mt-0`}
          />
          {sendState.issues.phone && (
            <span className="mt-0.5 block text-[12px] text-down">{sendState.issues.phone}</span>
          )}
        </label>
        <button
          type="submit"
          disabled={sending}
          className={`${awaiting ? quietButtonClass : buttonClass} shrink-0`}
        >
          {sending ? 'Sending…' : awaiting ? 'Send again' : 'Send code'}
        </button>
      </form>
      <FormMessage ok={sendState.ok} message={sendState.message} />
      {(awaiting || sendState.ok) && (
        <form action={verify} aria-label="Verify code" className="flex items-start gap-2">
          <label className="block min-w-0 flex-1">
            <span className="sr-only">Code</span>
            <input
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\d{6}"
              maxLength={6}
              placeholder="6-digit code"
              required
              aria-label="Code"
              aria-invalid={verifyState.issues.code ? true : undefined}
              className={`${inputClass} mt-0 tracking-[0.3em]`}
            />
          </label>
          <button type="submit" disabled={verifying} className={`${buttonClass} shrink-0`}>
            {verifying ? 'Checking…' : 'Verify'}
          </button>
        </form>
      )}
      <FormMessage ok={verifyState.ok} message={verifyState.message} />
    </section>
  );
}
