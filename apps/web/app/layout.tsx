import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { ServiceWorker } from '@/components/service-worker.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: 'TradeAssist',
  description: 'Real-time screener alerts, trades and journal for an active US-equities trader',
  applicationName: 'TradeAssist',
  appleWebApp: { capable: true, title: 'TradeAssist', statusBarStyle: 'black-translucent' },
  icons: { apple: '/icons/apple-touch-icon.png' },
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#0b0e13',
  colorScheme: 'dark',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className="dark">
      <body className="min-h-dvh bg-bg font-sans text-[13px] leading-snug text-text antialiased">
        {children}
        <ServiceWorker />
      </body>
    </html>
  );
}
