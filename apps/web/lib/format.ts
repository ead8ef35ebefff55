// Display formatting shared by server and client components (pure, no float arithmetic on prices).

/** A decimal string shown with at least 2 decimals: 201.5 -> 201.50, 0.0123 stays. */
export function displayPrice(price: string): string {
  const [whole, frac = ''] = price.split('.');
  return `${whole}.${frac.padEnd(2, '0')}`;
}

/** How long ago, compactly: "12s", "4m", "3h", "2d" (now and the timestamp in ms / ISO). */
export function age(createdAt: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(createdAt)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
