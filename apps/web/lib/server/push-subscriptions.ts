// The trader's Web Push subscriptions (push_subscriptions): one row per browser, keyed by its
// endpoint. Written as the trader's own database role (asUser), so the table's row-level security
// decides: a trader adds, refreshes and removes only their own rows. The Temporal notifier reads
// them with the service role and deletes those the push service reports gone.
import { asUser, pgCode } from './auth-db.ts';
import type { PushSubscriptionInput } from './push-input.ts';

/** Enough for every phone, tablet and desktop browser a trader uses; caps what one account stores. */
export const MAX_SUBSCRIPTIONS_PER_USER = 20;

export type SaveResult =
  | { kind: 'created' }
  | { kind: 'updated' }
  /** The endpoint is another account's (this browser was subscribed while someone else signed in). */
  | { kind: 'taken' }
  | { kind: 'too_many' };

export async function savePushSubscription(
  userId: string,
  sub: PushSubscriptionInput,
  userAgent: string | null,
): Promise<SaveResult> {
  try {
    return await asUser(userId, async (tx) => {
      const [own] = await tx<{ n: number; mine: boolean }[]>`
        select count(*)::int as n, bool_or(endpoint = ${sub.endpoint}) as mine
          from public.push_subscriptions where user_id = ${userId}`;
      if (own && !own.mine && own.n >= MAX_SUBSCRIPTIONS_PER_USER) return { kind: 'too_many' } as const;
      // A browser subscribing again (new keys after a VAPID key change, or the same ones) updates
      // its row and forgets past failures: it is alive now. Another account's row fails the
      // table's RLS update policy (42501) instead of being taken over.
      const [row] = await tx<{ inserted: boolean }[]>`
        insert into public.push_subscriptions (user_id, endpoint, p256dh, auth, user_agent)
        values (${userId}, ${sub.endpoint}, ${sub.keys.p256dh}, ${sub.keys.auth}, ${userAgent})
        on conflict (endpoint) do update set
          p256dh = excluded.p256dh, auth = excluded.auth, user_agent = excluded.user_agent,
          failure_count = 0, last_failure_at = null
        returning (xmax = 0) as inserted`;
      return row?.inserted ? ({ kind: 'created' } as const) : ({ kind: 'updated' } as const);
    });
  } catch (e) {
    if (pgCode(e).code === '42501') return { kind: 'taken' };
    throw e;
  }
}

/** Removes this browser's subscription if it is the trader's; true when a row went. */
export async function deletePushSubscription(userId: string, endpoint: string): Promise<boolean> {
  const rows = await asUser(
    userId,
    (tx) => tx`delete from public.push_subscriptions
                where user_id = ${userId} and endpoint = ${endpoint} returning id`,
  );
  return rows.length > 0;
}

/** Whether the server would push to this browser for this trader (the toggle's "on"). */
export async function hasPushSubscription(userId: string, endpoint: string): Promise<boolean> {
  const rows = await asUser(
    userId,
    (tx) => tx`select 1 from public.push_subscriptions where user_id = ${userId} and endpoint = ${endpoint}`,
  );
  return rows.length > 0;
}
