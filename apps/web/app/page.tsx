import { FeedFilters } from '@/components/feed-filters.tsx';
import { LiveFeed } from '@/components/live-feed.tsx';
import { TopBar } from '@/components/top-bar.tsx';
import { filtersToSearch, parseFilters } from '@/lib/feed/alert-filters.ts';
import { type FeedWatchlists, resolveWatchlists } from '@/lib/feed/watchlist-filter.ts';
import { currentUserId } from '@/lib/server/auth.ts';
import { type FeedPage, feedAlerts } from '@/lib/server/feed-alerts.ts';
import { liveTransportConfig } from '@/lib/server/live-config.ts';
import { listWatchlists } from '@/lib/server/watchlists.ts';

export const dynamic = 'force-dynamic';

// The live alerts feed: the newest alerts matching the URL's filters, rendered on the server, then
// kept current in the browser by the live transport (SSE locally, Supabase Realtime in the cloud).
// The watchlist filter is resolved here, against the signed-in trader's own lists.
export default async function AlertsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const parsed = parseFilters(await searchParams);
  // Outside the try: without a session this redirects to /login, which must not read as an error.
  const userId = await currentUserId();
  let watch: FeedWatchlists = { filters: parsed, watched: null, options: [], emptyNote: null };
  let page: FeedPage = { alerts: [], latestId: null };
  let error: string | undefined;
  try {
    watch = resolveWatchlists(parsed, await listWatchlists(userId));
    page = await feedAlerts(watch.filters, watch.watched);
  } catch (e) {
    error = (e as Error).message;
  }
  const { filters } = watch;
  return (
    <>
      <TopBar active="Alerts" />
      <main className="mx-auto max-w-6xl">
        <FeedFilters filters={filters} watchlists={watch.options} />
        {error ? (
          <p role="alert" className="m-3 rounded border border-down/40 bg-down/10 px-3 py-2 text-down">
            Cannot load alerts: {error}
          </p>
        ) : (
          <LiveFeed
            // A new filter is a new list: remount, and resume the live feed from the newest alert.
            // A list's symbols can change under the same URL: those count as a new filter too.
            key={`${filtersToSearch(filters)}|${watch.watched?.join(',') ?? ''}`}
            initial={page.alerts}
            since={page.latestId}
            filters={filters}
            watched={watch.watched}
            emptyNote={watch.emptyNote}
            transport={liveTransportConfig()}
            renderedAt={Date.now()}
          />
        )}
      </main>
    </>
  );
}
