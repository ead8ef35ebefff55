import Link from 'next/link';
import { TopBar } from '@/components/top-bar.tsx';
import { TradeForm } from '@/components/trade-form.tsx';
import { currentUserId } from '@/lib/server/auth.ts';

export const dynamic = 'force-dynamic';

const first = (v: string | string[] | undefined) => (typeof v === 'string' ? v : '');

// Open a trade; the symbol page links here with ?symbol=NVDA&price=482.15 to prefill it.
export default async function NewTradePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await currentUserId();
  const q = await searchParams;
  // Prefills only; the server action validates whatever is submitted.
  const symbol = first(q.symbol).toUpperCase().slice(0, 15);
  const price = /^\d{1,11}(\.\d{1,9})?$/.test(first(q.price)) ? first(q.price) : '';
  return (
    <>
      <TopBar active="Trades" />
      <main className="mx-auto max-w-3xl space-y-3 px-3 py-2 pb-10">
        <div className="flex items-baseline justify-between">
          <h1 className="text-sm font-semibold">Open a trade</h1>
          <Link href="/trades" className="text-accent">
            All trades
          </Link>
        </div>
        <p className="text-[12px] text-muted">
          Records a trade you took; the assistant follows it (stop and target watched on prints) but never
          places orders.
        </p>
        <TradeForm symbol={symbol} price={price} />
      </main>
    </>
  );
}
