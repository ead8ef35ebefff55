// Route handlers that change state answer only requests the dashboard's own pages made: the
// session cookie (or, with no passcode, loopback) would otherwise let any web page the trader has
// open post to them. Browsers always send Origin on a POST or DELETE fetch, and a page cannot
// forge it; Next's server actions make the same check against the Host.

export function sameOriginRefusal(headers: Headers): string | null {
  const origin = headers.get('origin');
  if (!origin) return 'missing Origin header: this endpoint answers the dashboard only';
  // Fetch metadata, when the browser sends it, says the same more directly.
  const site = headers.get('sec-fetch-site');
  if (site && site !== 'same-origin') return `cross-site request refused (Sec-Fetch-Site: ${site})`;
  const host = headers.get('x-forwarded-host') ?? headers.get('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return 'malformed Origin header';
  }
  if (!host || originHost !== host.toLowerCase()) return 'cross-origin request refused';
  return null;
}
