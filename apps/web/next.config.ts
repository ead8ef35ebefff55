import type { NextConfig } from 'next';

const config: NextConfig = {
  // Next runs one `next dev` per build directory: the browser tests (tests/e2e) start their own dev
  // server beside a developer's under `.next/e2e`. Build-time setting, not runtime configuration.
  distDir: process.env.TA_NEXT_DIST_DIR || '.next',
  // Workspace packages serve TypeScript source; Next compiles them with the app.
  transpilePackages: [
    '@tradeassist/config',
    '@tradeassist/runtime',
    '@tradeassist/core',
    '@tradeassist/db',
    '@tradeassist/messaging',
    '@tradeassist/screener',
    '@tradeassist/market-data',
    '@tradeassist/workflows',
  ],
  // Native or Node-only server libraries stay plain `require`s instead of being bundled.
  serverExternalPackages: [
    'postgres',
    'pino',
    'prom-client',
    '@temporalio/client',
    '@temporalio/common',
    '@temporalio/proto',
    '@temporalio/workflow',
  ],
  reactStrictMode: true,
  // The dev-mode badge would sit on top of the screenshots; browser tests fail on console errors instead.
  devIndicators: false,
  poweredByHeader: false,
  // The service worker must be revalidated on every visit, or a fixed one would reach users late.
  async headers() {
    return [
      {
        source: '/sw.js',
        headers: [
          { key: 'Cache-Control', value: 'no-cache, no-store, must-revalidate' },
          { key: 'Content-Type', value: 'application/javascript; charset=utf-8' },
        ],
      },
    ];
  },
};

export default config;
