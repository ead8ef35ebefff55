// One SMS in a thread: the trader's own texts on the right, the assistant's on the left, with the
// time and, for what we sent, how far it got (queued, sent, delivered, failed with its code).
import type { SmsRow } from '@/lib/server/sms-messages.ts';

const STATUS_CLASS: Record<string, string> = {
  delivered: 'text-up',
  failed: 'text-down',
  undelivered: 'text-down',
};

export function timeOfDay(iso: string): string {
  return new Date(iso).toLocaleTimeString('en-US', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZone: 'America/New_York',
  });
}

/** `mine`: which direction is the viewer's own (the trader's phone sends 'in'). */
export function SmsBubble({ m }: { m: SmsRow }) {
  const mine = m.direction === 'in';
  return (
    <li
      data-testid="sms"
      data-direction={m.direction}
      className={`flex ${mine ? 'justify-end' : 'justify-start'}`}
    >
      <div
        className={`max-w-[85%] rounded-lg px-3 py-1.5 ${mine ? 'bg-accent/15 text-text' : 'border border-line bg-panel'}`}
      >
        <p className="whitespace-pre-wrap break-words text-[14px] sm:text-[13px]">{m.body}</p>
        <p className="mt-0.5 text-right font-mono text-[10px] text-muted">
          {timeOfDay(m.created_at)}
          {m.direction === 'out' && (
            <span className={`ml-2 ${STATUS_CLASS[m.status] ?? ''}`}>
              {m.status}
              {m.error_code ? ` ${m.error_code}` : ''}
            </span>
          )}
        </p>
      </div>
    </li>
  );
}
