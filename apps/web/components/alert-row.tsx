// One alert in the live list. Phone: symbol, type, price and % move large on the first line, the
// rest small below. Desktop: one dense line with every column. The whole row opens the symbol view.
import type { LiveAlert } from '@tradeassist/db/live-alert';
import Link from 'next/link';
import { memo } from 'react';
import { kindOf, TONE_CLASS } from '@/lib/feed/alert-kinds.ts';
import { pctText, rvolText } from '@/lib/feed/alert-metrics.ts';
import { age, displayPrice } from '@/lib/format.ts';

export const ROW_HEIGHT = { narrow: 60, wide: 36 } as const;

const SESSION_LABEL = { pre: 'pre', regular: 'reg', post: 'post' } as const;

function AlertRowContent({ alert: a, now }: { alert: LiveAlert; now: number }) {
  const kind = kindOf(a.type);
  const tone = TONE_CLASS[kind.tone];
  const pct = pctText(a.details);
  const rvol = rvolText(a.details);
  const pctClass = pct === null ? 'text-muted' : pct.sign > 0 ? 'text-up' : pct.sign < 0 ? 'text-down' : '';
  const ageText = age(a.created_at, now);
  return (
    <Link
      href={`/symbol/${encodeURIComponent(a.symbol)}`}
      prefetch={false}
      data-testid="alert-row"
      data-id={a.id}
      data-symbol={a.symbol}
      data-type={a.type}
      title={`${a.symbol} ${kind.label} at ${displayPrice(a.price)} · ${a.created_at}`}
      className="tabular grid h-full w-full grid-cols-[4px_minmax(0,1fr)_auto_4.5rem] grid-rows-2 items-center gap-x-3 border-b border-line/60 px-3 hover:bg-panel focus-visible:bg-panel focus-visible:outline-none sm:grid-cols-[4px_5.5rem_minmax(0,1fr)_6.5rem_5rem_4.5rem_3.5rem_4rem_3rem] sm:grid-rows-1"
    >
      <span aria-hidden className={`row-span-2 h-[70%] w-1 rounded-full sm:row-span-1 ${tone.bar}`} />
      {/* Phone, line 1: symbol + type | price | % */}
      <span className="flex min-w-0 items-baseline gap-2 sm:contents">
        <span className="font-mono text-base font-semibold sm:text-[13px]">{a.symbol}</span>
        <span className={`truncate text-sm sm:text-[13px] ${tone.text}`}>
          <span className="sm:hidden">{kind.short}</span>
          <span className="hidden sm:inline">{kind.label}</span>
        </span>
      </span>
      <span className="text-right font-mono text-base sm:text-[13px]">{displayPrice(a.price)}</span>
      <span className={`text-right font-mono text-base font-semibold sm:text-[13px] ${pctClass}`}>
        {pct?.text ?? '—'}
      </span>
      {/* Phone, line 2: the rest, small. */}
      <span className="col-span-3 col-start-2 flex gap-3 self-start text-[11px] text-muted sm:hidden">
        <span>{SESSION_LABEL[a.session]}</span>
        {rvol && <span>RVOL {rvol}</span>}
        <span>score {a.score.toFixed(2)}</span>
        <span className="ml-auto">{ageText}</span>
      </span>
      {/* Desktop columns. */}
      <span className="hidden text-right font-mono sm:block">{rvol ?? '—'}</span>
      <span className="hidden text-right font-mono sm:block">{a.score.toFixed(2)}</span>
      <span className="hidden text-right text-muted sm:block">{SESSION_LABEL[a.session]}</span>
      <span className="hidden text-right text-muted sm:block" data-testid="alert-age">
        {ageText}
      </span>
    </Link>
  );
}

// Memoised on the alert and the clock only: a new alert at the top moves every row down (a new
// offset) without re-rendering any row's content.
const AlertRowContentMemo = memo(AlertRowContent);

function AlertRowInner({
  alert,
  now,
  height,
  offset,
}: {
  alert: LiveAlert;
  now: number;
  height: number;
  offset: number;
}) {
  return (
    <li className="absolute left-0 top-0 w-full" style={{ height, transform: `translateY(${offset}px)` }}>
      <AlertRowContentMemo alert={alert} now={now} />
    </li>
  );
}

export const AlertRow = memo(AlertRowInner);
