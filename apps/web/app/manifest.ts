import type { MetadataRoute } from 'next';

// The installable app: opens on the live alerts feed, standalone, in the dashboard's dark colours.
export default function manifest(): MetadataRoute.Manifest {
  return {
    id: '/',
    name: 'TradeAssist',
    short_name: 'TradeAssist',
    description: 'Real-time screener alerts, trades and journal for an active US-equities trader',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    orientation: 'any',
    background_color: '#0b0e13',
    theme_color: '#0b0e13',
    categories: ['finance', 'productivity'],
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
}
