// live.decode_loopback: the Databento live client against the gateway double on loopback TCP, from
// DBN bytes on the socket to decoded batches of MBP-1 records handed to the consumer (which reads
// each record's price, as the engine would). Gateway and client share this process's event loop, so
// the figure is a lower bound for the client alone. Goal: ≥ 5 Mrec/s.
import { MBP1 } from '@tradeassist/core/dbn-layout';
import { DatabentoLiveSource } from '@tradeassist/market-data/live';
import { DatabentoGatewayDouble } from '@tradeassist/test-doubles/databento-gateway';
import { mbp1BenchFeed } from '@tradeassist/test-doubles/scripted-feed';
import { type BenchResult, summarize } from './stats.ts';

const KEY = 'db-benchmarkapikey000000000BENCH';
const RECORDS = 5_000_000;
const RUNS = 5;

/** Records per wall-clock second and per CPU second of this process (client and gateway together). */
async function once(records: number): Promise<{ wall: number; cpu: number }> {
  const gateway = await DatabentoGatewayDouble.start({ feed: mbp1BenchFeed(records), apiKeys: [KEY] });
  const src = new DatabentoLiveSource({
    apiKey: KEY,
    dataset: 'EQUS.MINI',
    gateway: gateway.address,
    subscriptions: [{ schema: 'mbp-1', symbols: 'ALL_SYMBOLS' }],
  });
  let n = 0;
  let checksum = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    for await (const b of src.batches()) {
      const { view, offsets, count } = b.records;
      for (let i = 0; i < count; i++) checksum += view.getUint32(offsets[i]! + MBP1.PRICE, true) & 1;
      n += count;
      if (n >= records) break;
    }
  } finally {
    await src.close();
    await gateway.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (n !== records || checksum < 0) throw new Error(`live.decode_loopback: got ${n} of ${records} records`);
  return { wall: n / seconds / 1e6, cpu: n / cpuSeconds / 1e6 };
}

export async function run(): Promise<BenchResult[]> {
  await once(200_000); // warm-up: JIT, sockets
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const s = await once(RECORDS);
    wall.push(s.wall);
    cpu.push(s.cpu);
  }
  // On a shared machine the wall figure follows the load; the CPU figure (a lower bound for the
  // client: it also pays for the gateway double) does not.
  return [
    summarize('live.decode_loopback', 'Mrec/s', wall),
    summarize('live.decode_loopback.cpu', 'Mrec/cpu-s', cpu),
  ];
}
