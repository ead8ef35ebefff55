import Link from 'next/link';
import { AutoRefresh } from '@/components/auto-refresh.tsx';
import { timeOfDay } from '@/components/sms-bubble.tsx';
import { TopBar } from '@/components/top-bar.tsx';
import { currentUserId } from '@/lib/server/auth.ts';
import { devPhoneEnabled, userMessages } from '@/lib/server/sms-messages.ts';

export const dynamic = 'force-dynamic';

const STATUS_CLASS: Record<string, string> = {
  delivered: 'text-up',
  failed: 'text-down',
  undelivered: 'text-down',
  received: 'text-muted',
};

function day(iso: string): string {
  return new Date(iso).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'America/New_York',
  });
}

// The trader's SMS history with the assistant, newest first: what they texted (in) and what it
// sent (alerts, replies, questions), with each outbound message's delivery status.
export default async function MessagesPage() {
  const messages = await userMessages(await currentUserId());
  return (
    <>
      <TopBar active="Messages" />
      <main className="mx-auto max-w-6xl px-3 py-2 pb-10">
        <div className="mb-2 flex items-baseline justify-between gap-3">
          <h1 className="text-sm font-semibold">Messages</h1>
          {devPhoneEnabled() && (
            <Link href="/dev-phone" className="text-[12px] text-accent">
              Open the dev phone →
            </Link>
          )}
        </div>
        {messages.length === 0 ? (
          <p className="py-4 text-muted">No messages yet.</p>
        ) : (
          <ul className="divide-y divide-line border-y border-line" data-testid="message-list">
            {messages.map((m) => (
              <li
                key={m.id}
                data-testid="message"
                data-direction={m.direction}
                className="grid grid-cols-[2.5rem_minmax(0,1fr)] gap-x-2 py-1.5 sm:grid-cols-[5.5rem_2.5rem_minmax(0,1fr)_7rem]"
              >
                <span className="hidden font-mono text-[11px] text-muted sm:block">
                  {day(m.created_at)} {timeOfDay(m.created_at).slice(0, 5)}
                </span>
                <span
                  className={`self-start rounded px-1 text-center text-[10px] font-semibold uppercase ${m.direction === 'in' ? 'bg-accent/15 text-accent' : 'bg-panel text-muted'}`}
                  title={m.direction === 'in' ? 'from you' : 'to you'}
                >
                  {m.direction === 'in' ? 'you' : 'bot'}
                </span>
                <p className="whitespace-pre-wrap break-words">{m.body}</p>
                {/* Phone: time and status under the text; desktop: their own column. */}
                <span className="col-start-2 flex gap-2 font-mono text-[10px] text-muted sm:col-start-auto sm:block sm:text-right sm:text-[11px]">
                  <span className="sm:hidden">
                    {day(m.created_at)} {timeOfDay(m.created_at).slice(0, 5)}
                  </span>
                  <span className={STATUS_CLASS[m.status] ?? ''}>
                    {m.direction === 'in' ? 'received' : m.status}
                    {m.error_code ? ` ${m.error_code}` : ''}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
        <AutoRefresh everyMs={5000} />
      </main>
    </>
  );
}
