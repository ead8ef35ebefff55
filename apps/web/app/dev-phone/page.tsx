import { notFound } from 'next/navigation';
import { AutoRefresh } from '@/components/auto-refresh.tsx';
import { DevPhoneComposer } from '@/components/dev-phone-composer.tsx';
import { SmsBubble } from '@/components/sms-bubble.tsx';
import { TopBar } from '@/components/top-bar.tsx';
import { currentUserId } from '@/lib/server/auth.ts';
import { devPhoneEnabled, phoneThread, profilePhone } from '@/lib/server/sms-messages.ts';

export const dynamic = 'force-dynamic';

// The local profile's phone: texts the assistant through the signed Twilio webhook and shows the
// whole conversation with it from sms_messages, newest at the bottom, refreshed every second.
export default async function DevPhonePage() {
  if (!devPhoneEnabled()) notFound();
  const phone = await profilePhone(await currentUserId());
  const thread = phone ? await phoneThread(phone) : [];
  return (
    <>
      <TopBar active="Dev phone" />
      <main className="mx-auto flex min-h-[calc(100dvh-2.75rem)] max-w-xl flex-col px-3 py-2">
        <header className="mb-2 flex items-baseline justify-between gap-2">
          <h1 className="text-sm font-semibold">Dev phone</h1>
          <span className="font-mono text-[11px] text-muted">{phone ?? 'no phone on the profile'}</span>
        </header>
        <p className="mb-2 text-[11px] text-muted">
          Local stand-in for your phone: texts go to the assistant through the same signed webhook as Twilio;
          its replies land here.
        </p>
        {thread.length === 0 ? (
          <p className="flex-1 py-6 text-center text-muted">
            No messages yet. Try “took AAPL 150.20 stop 148”.
          </p>
        ) : (
          <ol
            className="flex flex-1 flex-col justify-end gap-1.5 pb-3"
            aria-label="Conversation"
            data-testid="thread"
          >
            {thread.map((m) => (
              <SmsBubble key={m.id} m={m} />
            ))}
          </ol>
        )}
        <div className="sticky bottom-0 border-t border-line bg-bg py-2">{phone && <DevPhoneComposer />}</div>
        <AutoRefresh everyMs={1000} />
      </main>
    </>
  );
}
