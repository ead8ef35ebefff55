// TradeAssist service worker (hand-written: @serwist/next needs webpack, this app builds with
// Turbopack). Network first for everything, so a trader online always sees fresh prices; the
// cache is the fallback when the network is gone: the app shell, the pages last seen (the home
// page carries the newest alerts) and the last /api/alerts answers. The live stream is never cached.
const VERSION = 'v1';
const SHELL = `ta-shell-${VERSION}`;
const PAGES = `ta-pages-${VERSION}`;
const MAX_PAGES = 30;
const SHELL_URLS = ['/', '/status', '/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png'];

// The scripts and styles a page needs, read from its HTML (they loaded before this worker ran).
function assetsOf(html) {
  const urls = new Set();
  for (const m of html.matchAll(/(?:src|href)="(\/_next\/[^"]+)"/g)) urls.add(m[1].replaceAll('&amp;', '&'));
  return [...urls];
}

async function precache() {
  const cache = await caches.open(SHELL);
  for (const url of SHELL_URLS) {
    try {
      const res = await fetch(url, { cache: 'no-store' });
      if (!res.ok) continue;
      if ((res.headers.get('content-type') ?? '').includes('text/html')) {
        const html = await res.clone().text();
        await Promise.all(
          assetsOf(html).map((a) =>
            fetch(a)
              .then((r) => (r.ok ? cache.put(a, r) : undefined))
              .catch(() => undefined),
          ),
        );
      }
      await cache.put(url, res);
    } catch {
      // offline while installing: the next visit fills the cache as pages load
    }
  }
}

async function trim(cacheName, max) {
  const cache = await caches.open(cacheName);
  const keys = await cache.keys();
  for (const k of keys.slice(0, Math.max(0, keys.length - max))) await cache.delete(k);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const k of await caches.keys()) if (!k.endsWith(VERSION)) await caches.delete(k);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname === '/api/live' || (req.headers.get('accept') ?? '').includes('text/event-stream')) return;
  if (url.pathname.startsWith('/_next/webpack-hmr') || url.pathname.includes('__nextjs')) return;
  const isPage = req.mode === 'navigate';
  const cacheName = isPage || url.pathname.startsWith('/api/') ? PAGES : SHELL;
  event.respondWith(
    (async () => {
      try {
        const res = await fetch(req);
        if (res.ok && res.type === 'basic') {
          const copy = res.clone();
          event.waitUntil(
            caches
              .open(cacheName)
              .then((c) => c.put(req, copy))
              .then(() => (cacheName === PAGES ? trim(PAGES, MAX_PAGES) : undefined)),
          );
        }
        return res;
      } catch (err) {
        const hit = (await caches.match(req)) ?? (await caches.match(req, { ignoreSearch: true }));
        if (hit) return hit;
        // Any page offline: the app shell (the feed as last seen) rather than the browser's error.
        if (isPage) {
          const shell = await caches.match('/');
          if (shell) return shell;
        }
        throw err;
      }
    })(),
  );
});
