// The live connection at a glance: a green dot when live, amber while (re)connecting, red offline.
import type { LiveState } from '@/lib/live/live-transport.ts';

const LOOK: Record<LiveState, { label: string; dot: string }> = {
  live: { label: 'Live', dot: 'bg-up' },
  connecting: { label: 'Connecting…', dot: 'bg-halt' },
  reconnecting: { label: 'Reconnecting…', dot: 'bg-halt animate-pulse' },
  offline: { label: 'Offline', dot: 'bg-down' },
};

export function LiveStatus({ state }: { state: LiveState }) {
  const look = LOOK[state];
  return (
    <span
      className="flex items-center gap-1.5 px-2 text-[11px] text-muted"
      data-testid="live-status"
      aria-live="polite"
    >
      <span aria-hidden className={`inline-block size-2 rounded-full ${look.dot}`} />
      {look.label}
    </span>
  );
}
