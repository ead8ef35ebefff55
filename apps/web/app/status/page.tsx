import type { ReactNode } from 'react';
import { AutoRefresh } from '@/components/auto-refresh.tsx';
import { FeedRate } from '@/components/feed-rate.tsx';
import { TopBar } from '@/components/top-bar.tsx';
import { type AlertRate, alertRate } from '@/lib/server/alert-rate.ts';
import { healthReport } from '@/lib/server/health.ts';

export const dynamic = 'force-dynamic';

const REFRESH_MS = 5_000;

function Tile({ label, children, tone }: { label: string; children: ReactNode; tone?: string }) {
  return (
    <div className="rounded border border-line bg-panel px-3 py-2">
      <div className="text-[11px] uppercase tracking-wide text-muted">{label}</div>
      <div className={`tabular font-mono text-lg font-semibold ${tone ?? ''}`}>{children}</div>
    </div>
  );
}

function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

// System health, refreshed every 5 s: each component of GET /api/health, the feed's throughput and
// lag, and the rate of alerts.
export default async function StatusPage() {
  const [report, rate] = await Promise.all([healthReport(), alertRate().catch((): AlertRate | null => null)]);
  const now = Date.parse(report.checked_at);
  const feed = report.components.feed;
  const records = typeof feed.records === 'number' ? feed.records : null;
  const lastRecordAt = typeof feed.last_record_at === 'string' ? Date.parse(feed.last_record_at) : null;
  const lag = lastRecordAt === null ? null : Math.max(0, now - lastRecordAt);
  const lastAlertAge = rate?.lastAlertAt ? now - Date.parse(rate.lastAlertAt) : null;
  return (
    <>
      <TopBar active="Health" />
      <AutoRefresh everyMs={REFRESH_MS} />
      <main className="mx-auto max-w-6xl px-3 py-2">
        <h1 className="text-sm font-semibold">
          System health:{' '}
          <span data-testid="overall-status" className={report.status === 'up' ? 'text-up' : 'text-down'}>
            {report.status === 'up' ? 'all up' : 'degraded'}
          </span>
        </h1>
        <p className="text-[11px] text-muted">
          {report.profile} profile · checked {report.checked_at.slice(11, 19)} UTC · refreshes every{' '}
          {REFRESH_MS / 1000} s
        </p>
        <div className="mt-3 grid grid-cols-2 gap-2 sm:grid-cols-4">
          <Tile label="Feed" tone={feed.status === 'up' ? 'text-up' : 'text-down'}>
            {feed.status === 'up' ? 'streaming' : 'down'}
          </Tile>
          <Tile label="Records / s">
            <FeedRate records={records} checkedAt={report.checked_at} />
          </Tile>
          <Tile label="Feed lag" tone={lag !== null && lag > 5_000 ? 'text-halt' : ''}>
            {lag === null ? '—' : seconds(lag)}
          </Tile>
          <Tile label="Alerts / min (5 min)">{rate ? rate.perMinute.toFixed(1) : '—'}</Tile>
        </div>
        <p className="mt-2 text-[11px] text-muted">
          {records !== null && `${records.toLocaleString('en-US')} records since the screener started · `}
          last alert {lastAlertAge === null ? 'never' : `${seconds(lastAlertAge)} ago`}
        </p>
        <ul className="mt-3 divide-y divide-line border-y border-line">
          {Object.entries(report.components).map(([name, c]) => (
            <li key={name} className="flex min-h-11 items-start gap-3 py-2" data-testid={`component-${name}`}>
              <span
                aria-hidden
                className={`mt-1 inline-block size-2.5 shrink-0 rounded-full ${c.status === 'up' ? 'bg-up' : 'bg-down'}`}
              />
              <span className="w-24 shrink-0 font-medium capitalize">{name}</span>
              <span className={`w-12 shrink-0 ${c.status === 'up' ? 'text-up' : 'text-down'}`}>
                {c.status}
              </span>
              <span className="min-w-0 break-words text-muted">
                {c.detail}
                {typeof c.latency_ms === 'number' && ` · ${c.latency_ms} ms`}
              </span>
            </li>
          ))}
        </ul>
      </main>
    </>
  );
}
