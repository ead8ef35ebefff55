// A trade's journal on /trades/[id]: the events in order, each with its New York time and a line of
// text (lib/server/trades-journal.ts says what each kind reads as).
import type { JournalLine } from '@/lib/server/trades-journal.ts';

const TIME = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

const TONE = { up: 'text-up', down: 'text-down', neutral: 'text-text' } as const;

export function TradeJournal({ lines }: { lines: JournalLine[] }) {
  if (lines.length === 0) {
    return (
      <p className="py-2 text-muted">
        Nothing in the journal yet: the trade’s workflow records each step here.
      </p>
    );
  }
  return (
    <ol className="border-l border-line" aria-label="Journal">
      {lines.map((l) => (
        <li key={l.id} data-testid="journal-entry" data-kind={l.kind} className="relative py-1.5 pl-4">
          <span aria-hidden className="absolute top-3 -left-[4px] size-2 rounded-full bg-line" />
          <div className="flex flex-wrap items-baseline gap-x-2">
            <time dateTime={l.at} className="font-mono text-[11px] text-muted tabular">
              {TIME.format(new Date(l.at))}
            </time>
            <span className="text-[11px] uppercase tracking-wide text-muted">{l.label}</span>
          </div>
          <p className={`break-words ${TONE[l.tone]}`}>{l.text}</p>
        </li>
      ))}
    </ol>
  );
}
