import { buildMbp1File } from './tests/bench/decode.bench.ts';
import { DbnDecoder } from './packages/market-data/src/dbn/index.ts';
const file = buildMbp1File(5_000_000);
const CH = 65536;
for (let r = 0; r < 6; r++) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const dec = new DbnDecoder(); let n = 0; let cs = 0;
  for (let off = 0; off < file.length; off += CH) {
    const { view, offsets, count } = dec.push(file.subarray(off, off + CH));
    for (let i = 0; i < count; i++) { const o = offsets[i]!; cs += view.getInt32(o + 20, true) * 4294967296 + view.getUint32(o + 16, true) + view.getUint32(o + 24, true); }
    n += count;
  }
  const c1 = process.cpuUsage(c0); const t1 = performance.now();
  console.log(`wall ${(n / (t1 - t0) / 1e3).toFixed(1)} Mrec/s; cpu ${(n / ((c1.user + c1.system) / 1e3) / 1e3).toFixed(1)} Mrec/s`, cs > 0);
}
