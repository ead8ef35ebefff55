import Link from 'next/link';

// Sections of the dashboard; those without `href` are not built yet and show as plain text.
const SECTIONS: { label: string; href?: string }[] = [
  { label: 'Alerts', href: '/' },
  { label: 'Rules', href: '/rules' },
  { label: 'Trades', href: '/trades' },
  { label: 'Watchlists', href: '/watchlists' },
  { label: 'Messages', href: '/messages' },
  { label: 'Dev phone', href: '/dev-phone' },
  { label: 'Settings', href: '/settings' },
  { label: 'Health', href: '/status' },
];

export function TopBar({ active }: { active: string }) {
  return (
    <header className="sticky top-0 z-10 border-b border-line bg-panel/95 backdrop-blur">
      <div className="mx-auto flex h-11 max-w-6xl items-center gap-4 px-3">
        <Link href="/" className="font-semibold tracking-tight text-accent">
          TradeAssist
        </Link>
        <nav className="flex gap-3 overflow-x-auto text-sm" aria-label="Sections">
          {SECTIONS.map((s) =>
            s.href ? (
              <Link
                key={s.label}
                href={s.href}
                aria-current={active === s.label ? 'page' : undefined}
                className={active === s.label ? 'text-text' : 'text-muted hover:text-text'}
              >
                {s.label}
              </Link>
            ) : (
              <span
                key={s.label}
                className="hidden cursor-default text-muted/50 sm:inline"
                title="coming soon"
              >
                {s.label}
              </span>
            ),
          )}
        </nav>
      </div>
    </header>
  );
}
