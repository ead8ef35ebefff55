import { TopBar } from '@/components/top-bar.tsx';
import { healthReport } from '@/lib/server/health.ts';

export const dynamic = 'force-dynamic';

// System health as a page: the same report as GET /api/health.
export default async function StatusPage() {
  const report = await healthReport();
  return (
    <>
      <TopBar active="Health" />
      <main className="mx-auto max-w-6xl px-3 py-2">
        <h1 className="text-sm font-semibold">
          Health: <span className={report.status === 'up' ? 'text-up' : 'text-down'}>{report.status}</span>
          <span className="ml-2 text-[11px] font-normal text-muted">
            {report.profile} profile · {report.checked_at}
          </span>
        </h1>
        <ul className="mt-2 divide-y divide-line border-y border-line">
          {Object.entries(report.components).map(([name, c]) => (
            <li key={name} className="flex gap-3 py-1.5">
              <span className={`w-2 shrink-0 ${c.status === 'up' ? 'text-up' : 'text-down'}`}>●</span>
              <span className="w-24 shrink-0 font-medium">{name}</span>
              <span className="text-muted">{c.detail}</span>
            </li>
          ))}
        </ul>
      </main>
    </>
  );
}
