// One fresh process's first open (run by screener-first-open.bench.ts): the bench market through a
// new pipeline once, after the worker's warm-up (WARM=1) or without it (WARM=0), printing the
// tick-to-alert p99 in ms as JSON. A process of its own, because "first" means no code in it has
// been compiled for the regular session yet.
import { createLogger } from '@tradeassist/runtime/logger';
import { warmUpPipeline } from '../../workers/screener/src/warm-up.ts';
import { alertLatencies, buildMarket } from './screener.bench.ts';
import { quantile } from './stats.ts';

const m = buildMarket();
if (process.env.WARM === '1') {
  warmUpPipeline({ rules: m.rules, logger: createLogger({ component: 'bench', level: 'silent' }) });
}
if (process.env.BENCH_DEBUG) process.stderr.write('first open: warm-up done, market starts\n');
const lat = await alertLatencies(m);
process.stdout.write(`${JSON.stringify({ p99: quantile(lat, 0.99), alerts: lat.length })}\n`);
