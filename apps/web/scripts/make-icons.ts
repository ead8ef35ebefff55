// Renders the PWA icons (public/icons/*.png) from one SVG with the system Chromium, so the PNGs can
// be regenerated after a design change: `npx tsx apps/web/scripts/make-icons.ts`.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const OUT = resolve(fileURLToPath(new URL('../public/icons', import.meta.url)));

/** A rising price line with an arrow head on the dashboard's background; `pad` shrinks the mark. */
function svg(size: number, pad: number, rounded: boolean): string {
  const s = (v: number) => pad + (v * (512 - 2 * pad)) / 512;
  const pts = [
    [88, 372],
    [196, 258],
    [272, 322],
    [412, 160],
  ]
    .map(([x, y]) => `${s(x!)},${s(y!)}`)
    .join(' ');
  const w = (44 * (512 - 2 * pad)) / 512;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 512 512" role="img"><title>TradeAssist</title>
  <rect width="512" height="512" rx="${rounded ? 104 : 0}" fill="#0b0e13"/>
  <polyline points="${pts}" fill="none" stroke="#22c55e" stroke-width="${w}" stroke-linecap="round" stroke-linejoin="round"/>
  <polyline points="${s(318)},${s(160)} ${s(412)},${s(160)} ${s(412)},${s(254)}" fill="none" stroke="#22c55e" stroke-width="${w}" stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="${s(196)}" cy="${s(258)}" r="${w * 0.75}" fill="#38bdf8"/>
</svg>`;
}

const ICONS: [string, number, number, boolean][] = [
  ['icon-192.png', 192, 40, true],
  ['icon-512.png', 512, 40, true],
  // Maskable: full-bleed background, mark inside the 80 % safe zone.
  ['icon-maskable-512.png', 512, 96, false],
  ['apple-touch-icon.png', 180, 56, false],
];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const [name, size, pad, rounded] of ICONS) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg(size, pad, rounded)}</body></html>`,
    );
    writeFileSync(resolve(OUT, name), await page.screenshot({ omitBackground: true }));
    await page.close();
  }
  writeFileSync(resolve(OUT, '../../app/icon.svg'), svg(32, 24, true));
} finally {
  await browser.close();
}
