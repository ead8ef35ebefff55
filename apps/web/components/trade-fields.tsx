// Form pieces shared by the trade forms: a labelled input with its error under it, and the form's
// status line. Large touch targets (44 px) and a numeric keypad on phones.
import type { ReactNode } from 'react';

export const inputClass =
  'mt-0.5 block h-11 w-full min-w-0 rounded border border-line bg-bg px-2 font-mono text-[15px] text-text tabular placeholder:text-muted/50 focus:border-accent focus:outline-none aria-[invalid=true]:border-down';

export function TradeField({
  label,
  name,
  error,
  children,
  ...input
}: {
  label: string;
  name: string;
  error?: string | undefined;
  children?: ReactNode;
} & React.InputHTMLAttributes<HTMLInputElement>) {
  const id = `f-${name}-${label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <label className="block min-w-0" htmlFor={id}>
      <span className="text-[11px] uppercase tracking-wide text-muted">{label}</span>
      {children ?? (
        <input
          id={id}
          name={name}
          className={inputClass}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
          autoComplete="off"
          {...input}
        />
      )}
      {error && (
        <span id={`${id}-err`} className="mt-0.5 block text-[12px] text-down">
          {error}
        </span>
      )}
    </label>
  );
}

export function FormMessage({ ok, message }: { ok: boolean; message: string | null }) {
  if (!message) return null;
  return (
    <p
      role={ok ? 'status' : 'alert'}
      className={`rounded border px-2 py-1.5 text-[13px] ${ok ? 'border-up/40 bg-up/10 text-up' : 'border-down/40 bg-down/10 text-down'}`}
    >
      {message}
    </p>
  );
}

export const buttonClass =
  'h-11 rounded px-4 font-semibold disabled:opacity-60 bg-accent text-bg hover:brightness-110';
export const quietButtonClass =
  'h-11 rounded border border-line px-4 text-text hover:border-accent disabled:opacity-60';
