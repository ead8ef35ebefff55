import { AlertTable } from '@/components/alert-table.tsx';
import { TopBar } from '@/components/top-bar.tsx';
import { newestAlerts } from '@/lib/server/alerts.ts';

export const dynamic = 'force-dynamic';

// The newest alerts, rendered on the server; the live feed updates this list in the browser.
export default async function AlertsPage() {
  let alerts: Awaited<ReturnType<typeof newestAlerts>> = [];
  let error: string | undefined;
  try {
    alerts = await newestAlerts(200);
  } catch (e) {
    error = (e as Error).message;
  }
  return (
    <>
      <TopBar active="Alerts" />
      <main className="mx-auto max-w-6xl">
        <div className="flex items-baseline justify-between px-3 py-2">
          <h1 className="text-sm font-semibold">Alerts</h1>
          <span className="text-[11px] text-muted">newest first · {alerts.length}</span>
        </div>
        {error ? (
          <p role="alert" className="mx-3 rounded border border-down/40 bg-down/10 px-3 py-2 text-down">
            Cannot load alerts: {error}
          </p>
        ) : (
          <AlertTable alerts={alerts} now={Date.now()} />
        )}
      </main>
    </>
  );
}
