// Renders the PWA icons (public/icons/*.png) from one SVG with the system Chromium, so the PNGs can
// be regenerated after a design change: `npx tsx apps/web/scripts/make-icons.ts [NAME.png ...]`
// (all of them, or only those named).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const OUT = resolve(fileURLToPath(new URL('../public/icons', import.meta.url)));

/**
 * A rising price line with an arrow head on the dashboard's background; `pad` shrinks the mark.
 * `mono`: white on transparent, for the notification badge (Android draws only its alpha).
 */
function svg(size: number, pad: number, rounded: boolean, mono = false): string {
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
  ${mono ? '' : `<rect width="512" height="512" rx="${rounded ? 104 : 0}" fill="#0b0e13"/>`}
  <polyline points="${pts}" fill="none" stroke="${mono ? '#fff' : '#22c55e'}" stroke-width="${w}" stroke-linecap="round" stroke-linejoin="round"/>
  <polyline points="${s(318)},${s(160)} ${s(412)},${s(160)} ${s(412)},${s(254)}" fill="none" stroke="${mono ? '#fff' : '#22c55e'}" stroke-width="${w}" stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="${s(196)}" cy="${s(258)}" r="${w * 0.75}" fill="${mono ? '#fff' : '#38bdf8'}"/>
</svg>`;
}

const ICONS: [string, number, number, boolean, boolean?][] = [
  ['icon-192.png', 192, 40, true],
  ['icon-512.png', 512, 40, true],
  // Maskable: full-bleed background, mark inside the 80 % safe zone.
  ['icon-maskable-512.png', 512, 96, false],
  ['apple-touch-icon.png', 180, 56, false],
  // Web Push notification badge (public/sw.js): the mark alone, thick enough at 24 dp.
  ['badge-96.png', 96, 8, false, true],
];
const only = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const [name, size, pad, rounded, mono] of ICONS) {
    if (only.length > 0 && !only.includes(name)) continue;
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg(size, pad, rounded, mono)}</body></html>`,
    );
    writeFileSync(resolve(OUT, name), await page.screenshot({ omitBackground: true }));
    await page.close();
  }
  if (only.length === 0) writeFileSync(resolve(OUT, '../../app/icon.svg'), svg(32, 24, true));
} finally {
  await browser.close();
}
