'use client';
// Records per second, from the change in the feed's record count between two refreshes of the page.
import { useEffect, useRef, useState } from 'react';

export function FeedRate({ records, checkedAt }: { records: number | null; checkedAt: string }) {
  const prev = useRef<{ records: number; at: number } | null>(null);
  const [rate, setRate] = useState<number | null>(null);
  useEffect(() => {
    if (records === null) return;
    const at = Date.parse(checkedAt);
    const p = prev.current;
    if (p && at > p.at && records >= p.records) setRate(((records - p.records) * 1000) / (at - p.at));
    prev.current = { records, at };
  }, [records, checkedAt]);
  if (records === null) return <>—</>;
  if (rate === null) return <span className="text-muted">measuring…</span>;
  return <>{rate >= 1000 ? `${(rate / 1000).toFixed(1)}k` : rate.toFixed(0)}</>;
}
