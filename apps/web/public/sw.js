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

// Web Push (sent by the Temporal notifier, workflows/src/activities/notifications.activities.ts):
// payload {title, body, tag: 'alert-<id>', alertId, symbol, url: '/symbol/<SYM>'}. The tag makes a
// retried push of the same alert replace the one shown instead of adding a second, and
// renotify false keeps that replacement silent. A payload that is not what the notifier sends shows
// nothing: a push handler that throws would only leave the browser's generic notice.
const ICON = '/icons/icon-192.png';
const BADGE = '/icons/badge-96.png';

// A path on this site, never another origin: a notification click must not open a URL a push
// payload chose (`//evil.example` and `/\evil.example` are other hosts to a browser).
function sitePath(value) {
  if (typeof value !== 'string' || value.length > 500) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  return value;
}

function notificationFrom(data) {
  if (!data) return null;
  let msg;
  try {
    msg = data.json();
  } catch {
    return null;
  }
  if (!msg || typeof msg !== 'object') return null;
  const title = typeof msg.title === 'string' ? msg.title.trim().slice(0, 200) : '';
  if (!title) return null;
  const tag = typeof msg.tag === 'string' && /^[\w.:-]{1,100}$/.test(msg.tag) ? msg.tag : undefined;
  return {
    title,
    options: {
      body: typeof msg.body === 'string' ? msg.body.slice(0, 1000) : '',
      tag,
      renotify: false,
      icon: ICON,
      badge: BADGE,
      timestamp: Date.now(),
      data: {
        url: sitePath(msg.url) ?? '/',
        alertId: typeof msg.alertId === 'string' || typeof msg.alertId === 'number' ? msg.alertId : null,
        symbol: typeof msg.symbol === 'string' ? msg.symbol : null,
      },
    },
  };
}

self.addEventListener('push', (event) => {
  const n = notificationFrom(event.data);
  if (n) event.waitUntil(self.registration.showNotification(n.title, n.options));
});

// Bring the dashboard forward on the alert's page: an open tab of this app if there is one, else
// a new window. focus() and openWindow() are allowed only while the click's user activation lasts,
// so focus comes first; navigate() needs no activation but works only on the tabs this worker
// controls (clients.claim() makes that every tab of ours), any other gets a new window. A named
// global so that tests can drive it: a click on a notification cannot be automated here.
async function openAlertPage(path) {
  const url = new URL(sitePath(path) ?? '/', self.location.origin).href;
  const tabs = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const ours = tabs.filter((c) => new URL(c.url).origin === self.location.origin);
  const tab = ours.find((c) => c.focused) ?? ours.find((c) => c.visibilityState === 'visible') ?? ours[0];
  if (tab) {
    const focused = await tab.focus().catch(() => tab);
    if (focused.url === url) return focused;
    const moved = await focused.navigate(url).catch(() => null);
    if (moved) return moved;
  }
  return self.clients.openWindow(url);
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openAlertPage(event.notification.data?.url));
});
