import { TopBar } from '@/components/top-bar.tsx';
import { WatchlistCard, WatchlistCreate } from '@/components/watchlist-card.tsx';
import { currentUserId } from '@/lib/server/auth.ts';
import { listWatchlists } from '@/lib/server/watchlists.ts';

export const dynamic = 'force-dynamic';

// The trader's watchlists: each with its tickers (add, remove), rename, delete, default; a link to
// the alert feed filtered to the list; and a form for a new list.
export default async function WatchlistsPage() {
  const userId = await currentUserId();
  const lists = await listWatchlists(userId);
  return (
    <>
      <TopBar active="Watchlists" />
      <main className="mx-auto max-w-6xl space-y-3 px-3 py-2 pb-10">
        <h1 className="text-sm font-semibold">Watchlists</h1>
        <div className="grid gap-3 md:grid-cols-2">
          {lists.map((w) => (
            <WatchlistCard key={w.id} list={w} />
          ))}
        </div>
        <WatchlistCreate />
      </main>
    </>
  );
}
