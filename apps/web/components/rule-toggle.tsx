'use client';
// Enable / disable a rule in place (server action; the screener picks the change up by NOTIFY).
import { useOptimistic, useTransition } from 'react';
import { toggleRule } from '@/app/rules/actions.ts';

export function RuleToggle({ id, name, enabled }: { id: string; name: string; enabled: boolean }) {
  const [pending, startTransition] = useTransition();
  const [shown, setShown] = useOptimistic(enabled);
  return (
    <button
      type="button"
      role="switch"
      aria-checked={shown}
      aria-label={`${name}: ${shown ? 'enabled' : 'disabled'}`}
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          setShown(!shown);
          await toggleRule({ id, enabled: !shown });
        })
      }
      className={`relative h-7 w-12 shrink-0 rounded-full transition-colors ${shown ? 'bg-up' : 'bg-line'}`}
    >
      <span
        aria-hidden
        className={`absolute top-1 size-5 rounded-full bg-text transition-all ${shown ? 'left-6' : 'left-1'}`}
      />
    </button>
  );
}
