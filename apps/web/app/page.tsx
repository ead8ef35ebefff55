import { FeedFilters } from '@/components/feed-filters.tsx';
import { LiveFeed } from '@/components/live-feed.tsx';
import { TopBar } from '@/components/top-bar.tsx';
import { filtersToSearch, parseFilters } from '@/lib/feed/alert-filters.ts';
import { type FeedPage, feedAlerts } from '@/lib/server/feed-alerts.ts';
import { liveTransportConfig } from '@/lib/server/live-config.ts';

export const dynamic = 'force-dynamic';

// The live alerts feed: the newest alerts matching the URL's filters, rendered on the server, then
// kept current in the browser by the live transport (SSE locally, Supabase Realtime in the cloud).
export default async function AlertsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const filters = parseFilters(await searchParams);
  let page: FeedPage = { alerts: [], latestId: null };
  let error: string | undefined;
  try {
    page = await feedAlerts(filters);
  } catch (e) {
    error = (e as Error).message;
  }
  return (
    <>
      <TopBar active="Alerts" />
      <main className="mx-auto max-w-6xl">
        <FeedFilters filters={filters} />
        {error ? (
          <p role="alert" className="m-3 rounded border border-down/40 bg-down/10 px-3 py-2 text-down">
            Cannot load alerts: {error}
          </p>
        ) : (
          <LiveFeed
            // A new filter is a new list: remount, and resume the live feed from the newest alert.
            key={filtersToSearch(filters)}
            initial={page.alerts}
            since={page.latestId}
            filters={filters}
            transport={liveTransportConfig()}
            renderedAt={Date.now()}
          />
        )}
      </main>
    </>
  );
}
