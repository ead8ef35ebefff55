import { type Alert, alertSchema } from '@tradeassist/core/alert';
import { StatusAction } from '@tradeassist/core/dbn-layout';
import { describe, expect, it } from 'vitest';
import type { DeepPartial, DetectorConfig } from './detector-config.ts';
import { ScreenerEngine } from './engine.ts';
import type { TriggerEvent } from './price-triggers.ts';
import { shardOf } from './shard.ts';
import { BatchBuilder, etNs } from './test-records.ts';
import { MINUTE_SHARE } from './volume-profile.ts';

const D = '2023-11-21'; // a Tuesday, EST (UTC-5)

function setup(config: DeepPartial<DetectorConfig> = {}) {
  const alerts: Alert[] = [];
  const triggers: TriggerEvent[] = [];
  const engine = new ScreenerEngine({
    config,
    onAlert: (a) => {
      alertSchema.parse(a); // every alert has the contract shape
      alerts.push(a);
    },
    onTrigger: (e) => triggers.push(e),
  });
  engine.mapSymbol(1, 'NVDA');
  engine.mapSymbol(2, 'AMD');
  engine.mapSymbol(3, 'TSLA');
  return { engine, alerts, triggers };
}
const ns = (date: string, time: string) => etNs(date, time).toString();

describe('gap up / down', () => {
  it('fires in the pre-market once volume means it, once per day, re-armed by a much larger gap', () => {
    const { engine, alerts } = setup();
    engine.processBatch(
      new BatchBuilder()
        .ohlcv1d(1, '2023-11-20', '100.00', 40_000_000) // prior close 100.00
        .trade(1, etNs(D, '07:00'), '103.00', 5_000) // +3.0%: under 4%
        .trade(1, etNs(D, '07:01'), '104.50', 10_000) // +4.5% but only 15,000 pre-market shares (< 20,000)
        .trade(1, etNs(D, '07:02'), '104.60', 10_000) // +4.6% with 25,000 shares: FIRES
        .trade(1, etNs(D, '07:03'), '105.00', 10_000) // +5.0%: already alerted
        .trade(1, etNs(D, '07:04'), '109.00', 10_000) // +9.0% < 2 x 4.6 = 9.2%: not re-armed
        .trade(1, etNs(D, '07:05'), '109.50', 10_000) // +9.5% >= 9.2%: FIRES again
        .build(),
    );
    // (the 07:05 print is also a +6.3% 5-minute move: momentum_up, checked elsewhere)
    const gaps = alerts.filter((a) => a.type.startsWith('gap'));
    expect(gaps.map((a) => [a.type, a.ts_event, a.price, a.dedupe_key])).toEqual([
      ['gap_up', ns(D, '07:02'), '104.60', 'NVDA:gap_up:2023-11-21'],
      ['gap_up', ns(D, '07:05'), '109.50', 'NVDA:gap_up:2023-11-21:2'],
    ]);
    // 07:02 ET on Nov 21 is 12:02 UTC
    expect(alerts[0]!.ts_event).toBe(String(Date.parse('2023-11-21T12:02:00Z') * 1e6));
    expect(alerts[0]!.session).toBe('pre');
    expect(alerts[0]!.details).toMatchObject({
      prev_close: '100.00',
      pct: 4.6,
      premarket_volume: 25_000,
      at_open: false,
    });
    expect(alerts[0]!.score).toBeGreaterThan(0);
    expect(alerts[0]!.score).toBeLessThanOrEqual(1);
  });

  it('fires on the opening print without pre-market volume', () => {
    const { engine, alerts } = setup();
    engine.setReference('NVDA', { prevClose: '100.00', avgVolume: 1_000_000 });
    engine.processBatch(
      new BatchBuilder()
        .trade(1, etNs(D, '09:30:00.5'), '95.00', 100) // open print: (95 - 100)/100 = -5.0%
        .trade(1, etNs(D, '09:30:01'), '94.00', 100) // -6%: once per day per direction
        .build(),
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      type: 'gap_down',
      session: 'regular',
      price: '95.00',
      dedupe_key: 'NVDA:gap_down:2023-11-21',
      details: { prev_close: '100.00', pct: -5, at_open: true },
    });
  });
});

describe('halt / resume', () => {
  it('alerts on every halt and resume, never rate-limited', () => {
    const { engine, alerts } = setup();
    engine.processBatch(
      new BatchBuilder()
        .trade(1, etNs(D, '10:29'), '480.00', 100)
        .status(1, etNs(D, '10:30:00'), StatusAction.PAUSE, 5) // LULD pause
        .status(1, etNs(D, '10:30:01'), StatusAction.HALT, 5) // still halted: no second alert
        .status(1, etNs(D, '10:35:00'), StatusAction.TRADING)
        .status(1, etNs(D, '10:35:30'), StatusAction.PAUSE, 5) // halted again 30 s later: alerts
        .build(),
    );
    expect(alerts.map((a) => [a.type, a.dedupe_key, a.price])).toEqual([
      ['halt', 'NVDA:halt:2023-11-21:103000', '480.00'],
      ['resume', 'NVDA:resume:2023-11-21:103500', '480.00'],
      ['halt', 'NVDA:halt:2023-11-21:103530', '480.00'],
    ]);
    expect(alerts[0]!.score).toBe(1);
  });
});

describe('volume spike', () => {
  it('fires on the trade that takes the minute past 5x the expected volume, with a cooldown', () => {
    const { engine, alerts } = setup();
    engine.setReference('NVDA', { prevClose: '50.00', avgVolume: 1_000_000 });
    // 11:00 is minute 420 of the extended day; expected = 1,000,000 x MINUTE_SHARE[420] = 2,089 shares,
    // 5x = 10,445 < the 20,000-share minimum, so the minimum decides.
    expect(Math.round(1_000_000 * MINUTE_SHARE[420]!)).toBe(2089);
    engine.processBatch(
      new BatchBuilder()
        .trade(1, etNs(D, '11:00:00'), '50.00', 10_000)
        .trade(1, etNs(D, '11:00:10'), '50.00', 9_000) // 19,000: not yet
        .trade(1, etNs(D, '11:00:20'), '50.01', 2_000) // 21,000 >= 20,000 and >= 10,445: FIRES
        .trade(1, etNs(D, '11:01:00'), '50.02', 25_000) // 40 s later: cooldown (300 s)
        .trade(1, etNs(D, '11:05:30'), '50.02', 25_000) // 310 s after the first: FIRES
        .build(),
    );
    expect(alerts.map((a) => [a.type, a.ts_event, a.dedupe_key])).toEqual([
      ['volume_spike', ns(D, '11:00:20'), 'NVDA:volume_spike:2023-11-21:1100'],
      ['volume_spike', ns(D, '11:05:30'), 'NVDA:volume_spike:2023-11-21:1105'],
    ]);
    // 21,000 / 2,089.07 = 10.05x
    expect(alerts[0]!.details).toMatchObject({
      minute_volume: 21_000,
      expected_volume: 2089,
      rvol_1m: 10.05,
    });
  });
});

describe('momentum', () => {
  const run = (price: string) => {
    const { engine, alerts } = setup({ volumeSpike: { enabled: false } });
    engine.setReference('NVDA', { prevClose: '50.00', avgVolume: 1_000_000 });
    const b = new BatchBuilder();
    for (let m = 0; m <= 5; m++) b.trade(1, etNs(D, `10:0${m}:00`), '50.00', 1_000);
    b.trade(1, etNs(D, '10:05:30'), price, 30_000);
    engine.processBatch(b.build());
    return alerts;
  };
  it('fires on >= 3% in 5 minutes with relative volume >= 2', () => {
    // from the 10:00 close 50.00 to 51.60: +3.2%. Window volume = 36,000 today - 1,000 through 10:00
    // = 35,000; expected 10:01-10:05 = 1,000,000 x 0.013572 = 13,572 -> rvol 2.58
    const alerts = run('51.60');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      type: 'momentum_up',
      ts_event: ns(D, '10:05:30'),
      price: '51.60',
      dedupe_key: 'NVDA:momentum_up:2023-11-21:1005',
      details: { pct: 3.2, window_min: 5, from_price: '50.00', rvol: 2.58, volume: 35_000 },
    });
  });
  it('stays quiet under the threshold', () => {
    expect(run('51.40')).toEqual([]); // +2.8%
  });
});

describe('new high of day', () => {
  it('waits for the quiet period and a meaningful margin', () => {
    const { engine, alerts } = setup({ highLow: { marginPct: 0.5, minDayVolume: 50_000 } });
    engine.processBatch(
      new BatchBuilder()
        .trade(2, etNs(D, '09:30:00'), '20.00', 60_000)
        .trade(2, etNs(D, '09:35:00'), '20.30', 1_000) // new highs in the first 15 minutes: quiet
        .trade(2, etNs(D, '09:40:00'), '20.50', 1_000)
        .trade(2, etNs(D, '09:46:00'), '20.55', 1_000) // new high, but under 20.50 x 1.005 = 20.6025
        .trade(2, etNs(D, '09:47:00'), '20.60', 1_000) // still under 20.6025
        .trade(2, etNs(D, '09:48:00'), '20.61', 1_000) // clears it: FIRES
        .trade(2, etNs(D, '09:49:00'), '20.65', 1_000) // new high, under 20.61 x 1.005 = 20.713
        .build(),
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      type: 'new_high_of_day',
      ts_event: ns(D, '09:48:00'),
      price: '20.61',
      dedupe_key: 'AMD:new_high_of_day:2023-11-21:0948',
      // (20.61 - 20.50) / 20.50 = 0.537%
      details: { prior_extreme: '20.60', pct_beyond_level: 0.54, open: '20.00' },
    });
  });
});

describe('new low of day', () => {
  it('mirrors the high: quiet period, then 1% (default) below the low of the quiet period', () => {
    const { engine, alerts } = setup();
    engine.processBatch(
      new BatchBuilder()
        .trade(3, etNs(D, '09:30:00'), '50.00', 120_000) // 120,000 >= the 100,000-share minimum
        .trade(3, etNs(D, '09:40:00'), '49.60', 1_000) // low of the quiet period
        .trade(3, etNs(D, '09:50:00'), '49.20', 1_000) // new low, above 49.60 x 0.99 = 49.104
        .trade(3, etNs(D, '09:51:00'), '49.10', 1_000) // under 49.104: FIRES
        .trade(3, etNs(D, '09:52:00'), '48.70', 1_000) // new low, above 49.10 x 0.99 = 48.609
        .build(),
    );
    expect(alerts.map((a) => [a.type, a.ts_event, a.price, a.dedupe_key])).toEqual([
      ['new_low_of_day', ns(D, '09:51:00'), '49.10', 'TSLA:new_low_of_day:2023-11-21:0951'],
    ]);
    // (49.10 - 49.60) / 49.60 = -1.008%
    expect(alerts[0]!.details).toMatchObject({ prior_extreme: '49.20', pct_beyond_level: -1.01 });
  });
});

describe('indicator events on 1-minute bars', () => {
  it('fires a VWAP cross up on the record that closes the crossing bar', () => {
    const { engine, alerts } = setup();
    const b = new BatchBuilder();
    // 20 one-trade bars falling 0.10 a minute from 30.00 to 28.10, 5,000 shares each
    for (let k = 0; k < 20; k++) {
      const t = `09:${String(30 + k).padStart(2, '0')}:00`;
      b.trade(2, etNs(D, t), (30 - k * 0.1).toFixed(2), 5_000);
    }
    b.trade(2, etNs(D, '09:50:00'), '29.50', 5_000); // the 09:50 bar closes above VWAP
    b.trade(2, etNs(D, '09:51:00'), '29.50', 5_000); // first record of 09:51 closes the 09:50 bar
    engine.processBatch(b.build());
    const vwap = alerts.filter((a) => a.type.startsWith('vwap'));
    expect(vwap).toHaveLength(1);
    // VWAP over the 21 equal-size prints: (20 x 29.05 + 29.50) / 21 = 610.5 / 21 = 29.0714285714
    // distance: (29.50 - 29.0714) / 29.0714 = +1.47%
    expect(vwap[0]).toMatchObject({
      type: 'vwap_cross_up',
      ts_event: ns(D, '09:51:00'),
      price: '29.50',
      dedupe_key: 'AMD:vwap_cross_up:2023-11-21:0951',
      details: { bar: '0950', vwap: '29.071428571', pct_from_vwap: 1.47, bar_volume: 5_000 },
    });
  });

  /** One 5,000-share trade per minute from 09:30 at each close, plus one more to close the last bar. */
  function runBars(closes: number[]) {
    const { engine, alerts } = setup();
    const b = new BatchBuilder();
    const at = (i: number) => {
      const t = 570 + i;
      return etNs(D, `${Math.floor(t / 60)}:${t % 60}:00`);
    };
    closes.forEach((c, i) => {
      b.trade(2, at(i), c.toFixed(2), 5_000);
    });
    b.trade(2, at(closes.length), closes.at(-1)!.toFixed(2), 5_000);
    engine.processBatch(b.build());
    return { alerts, at };
  }

  it('fires RSI overbought on the bar where RSI(14) crosses 70', () => {
    // bars 0-14 alternate 50.00/50.20: 7 gains and 7 losses of 0.20 -> avgGain = avgLoss = 0.10, RSI 50.
    // Then +0.20 a bar: after k up bars avgLoss = 0.1 x (13/14)^k and avgGain = 0.2 - avgLoss, so
    // RS = 0.2/avgLoss - 1 and RSI >= 70 <=> RS >= 7/3 <=> (13/14)^k <= 0.6 <=> k >= 6.89:
    // k = 6: (13/14)^6 = 0.6412 -> RSI 67.94; k = 7: 0.5952 -> RS 2.360 -> RSI 70.24 (bar 21, 51.40)
    const closes: number[] = Array.from({ length: 15 }, (_, i) => (i % 2 ? 50.2 : 50));
    for (let k = 1; k <= 7; k++) closes.push(50 + 0.2 * k);
    const { alerts, at } = runBars(closes);
    const rsi = alerts.filter((a) => a.type.startsWith('rsi'));
    expect(rsi).toHaveLength(1);
    expect(rsi[0]).toMatchObject({
      type: 'rsi_overbought',
      ts_event: at(22).toString(),
      price: '51.40',
      details: { bar: '0951' },
    });
    expect((rsi[0]!.details as { rsi: number }).rsi).toBeCloseTo(70.24, 2);
  });

  it('fires a Bollinger break up when a close leaves the upper band', () => {
    // bars 0-19 alternate 50.00/50.40 (mean 50.20, sd 0.20, upper band 50.60: 50.40 stays inside).
    // Bar 20 closes at 51.00; the window is bars 1-20: ten 50.40, nine 50.00 and 51.00, mean 1005/20
    // = 50.25, squared deviations 10(0.15)^2 + 9(0.25)^2 + 0.75^2 = 1.35, sd = sqrt(1.35/20) = 0.2598,
    // upper = 50.25 + 2(0.2598) = 50.7696 < 51.00: a break; width = 4(0.2598)/50.25 = 2.07%
    const closes: number[] = Array.from({ length: 20 }, (_, i) => (i % 2 ? 50.4 : 50));
    closes.push(51);
    const { alerts, at } = runBars(closes);
    const bb = alerts.filter((a) => a.type.startsWith('bollinger'));
    expect(bb).toHaveLength(1);
    expect(bb[0]).toMatchObject({
      type: 'bollinger_break_up',
      ts_event: at(21).toString(),
      price: '51.00',
      details: { bar: '0950', upper: '50.769615242', lower: '49.730384758', width_pct: 2.07 },
    });
  });

  it('fires a MACD cross down on the bar an independent MACD computation turns negative', () => {
    // accelerating rise (MACD above its signal) for 45 bars, then a fall of 0.10 a bar
    const closes: number[] = [];
    for (let n = 0; n < 45; n++) closes.push(Math.round((50 + 0.002 * n * n) * 100) / 100);
    for (let k = 1; k <= 15; k++) closes.push(Math.round((closes[44]! - 0.1 * k) * 100) / 100);
    // reference: SMA-seeded EMAs over plain arrays
    const ema = (xs: number[], p: number) => {
      const out: number[] = [];
      xs.forEach((x, i) => {
        if (i === p - 1) out[i] = xs.slice(0, p).reduce((a, b) => a + b, 0) / p;
        else if (i >= p) out[i] = out[i - 1]! + ((x - out[i - 1]!) * 2) / (p + 1);
      });
      return out;
    };
    const e12 = ema(closes, 12);
    const e26 = ema(closes, 26);
    const macd = closes.map((_, i) => (i >= 25 ? e12[i]! - e26[i]! : 0)).slice(25);
    const signal = ema(macd, 9);
    const diff = macd.map((m, j) => (j >= 8 ? m - signal[j]! : Number.NaN));
    const j = diff.findIndex((d, k) => k > 8 && diff[k - 1]! > 0 && d < 0);
    expect(j).toBeGreaterThan(0);
    const crossBar = j + 25;
    expect(crossBar).toBeGreaterThan(44); // during the fall
    const { alerts, at } = runBars(closes);
    const macdAlerts = alerts.filter((a) => a.type.startsWith('macd'));
    expect(macdAlerts).toHaveLength(1);
    expect(macdAlerts[0]).toMatchObject({
      type: 'macd_cross_down',
      ts_event: at(crossBar + 1).toString(),
      price: closes[crossBar]!.toFixed(2),
    });
  });

  it('keeps a flat, noisy stock silent all day', () => {
    const { engine, alerts } = setup();
    engine.setReference('NVDA', { prevClose: '50.00', avgVolume: 2_000_000 });
    const b = new BatchBuilder();
    b.trade(1, etNs(D, '08:00'), '50.01', 3_000);
    // every regular minute, alternating 50.00 / 50.02 with ~the expected volume (2M x 93% / 390 = 4,769)
    for (let m = 0; m < 390; m++) {
      const hh = Math.floor((570 + m) / 60);
      const mm = (570 + m) % 60;
      b.trade(1, etNs(D, `${hh}:${mm}:05`), m % 2 ? '50.02' : '50.00', 4_800);
    }
    engine.processBatch(b.build());
    expect(alerts).toEqual([]);
    expect(engine.st.barCount[0]).toBe(390); // pre-market bar + 389 closed regular bars
  });

  it('keeps a cheap stock pinned within a few ticks silent although its ATR passes', () => {
    // 15.00 / 15.02 for 20 bars (VWAP 15.01), 15.05 for 3 bars, then 14.98 for 3 bars.
    // ATR of the alternating bars ~0.02 = 0.13% of price (>= minAtrPct 0.1); the step to 15.05 is
    // +0.26% from VWAP and the drop to 14.98 about -0.22% (both >= vwapMinDistancePct 0.2): a VWAP
    // cross down on the 14.98 bar. But the day's range is (15.05 - 14.98) / 14.98 = 0.47%, under
    // minDayRangePct 0.5: the stock is flat today, and nothing fires.
    const closes: number[] = Array.from({ length: 20 }, (_, i) => (i % 2 ? 15.02 : 15));
    closes.push(15.05, 15.05, 15.05, 14.98, 14.98, 14.98);
    const run = (config: DeepPartial<DetectorConfig>) => {
      const { engine, alerts } = setup(config);
      const b = new BatchBuilder();
      closes.forEach((c, i) => {
        const t = 570 + i;
        b.trade(2, etNs(D, `${Math.floor(t / 60)}:${t % 60}:00`), c.toFixed(2), 5_000);
      });
      b.trade(2, etNs(D, '09:56:00'), '14.98', 5_000);
      engine.processBatch(b.build());
      return alerts.map((a) => a.type);
    };
    expect(run({})).toEqual([]);
    // the range filter is what silences it
    expect(run({ indicators: { minDayRangePct: 0 } })).toContain('vwap_cross_down');
  });
});

describe('trading days', () => {
  it('carries the prior close across a weekend and the DST switch, ignoring closed sessions', () => {
    const { engine, alerts } = setup();
    engine.processBatch(
      new BatchBuilder()
        .trade(3, etNs('2024-03-08', '15:59:30'), '39.50', 1_000) // Friday, EST
        .trade(3, etNs('2024-03-08', '16:00:00.2'), '40.00', 1_000) // the closing cross, just after the bell
        .trade(3, etNs('2024-03-08', '17:00:00'), '41.00', 1_000) // post-market: not the close
        .trade(3, etNs('2024-03-09', '12:00:00'), '45.00', 1_000) // Saturday: closed, ignored
        .trade(3, etNs('2024-03-11', '08:00:00'), '42.00', 25_000) // Monday, EDT: +5% vs 40.00
        .build(),
    );
    // Friday's 3,000 shares became the average volume, so 25,000 is also a volume spike
    expect(alerts.map((a) => a.type)).toEqual(['gap_up', 'volume_spike']);
    expect(alerts[0]).toMatchObject({
      type: 'gap_up',
      session: 'pre',
      dedupe_key: 'TSLA:gap_up:2024-03-11',
      details: { prev_close: '40.00', pct: 5 },
    });
    // 08:00 EDT = 12:00 UTC (it was 13:00 UTC the Friday before)
    expect(alerts[0]!.ts_event).toBe(String(Date.parse('2024-03-11T12:00:00Z') * 1e6));
  });

  it('is closed on an exchange holiday', () => {
    const { engine, alerts } = setup();
    engine.setReference('NVDA', { prevClose: '100.00', avgVolume: 1_000_000 });
    engine.processBatch(
      new BatchBuilder()
        .trade(1, etNs('2023-11-23', '10:00'), '120.00', 500_000) // Thanksgiving
        .trade(1, etNs('2023-11-23', '10:01'), '121.00', 500_000)
        .build(),
    );
    expect(alerts).toEqual([]);
    expect(engine.st.barCount[0]).toBe(0);
  });

  it('ends the regular session at 13:00 on an early close', () => {
    const { engine, alerts } = setup();
    engine.setReference('NVDA', { prevClose: '100.00' });
    engine.processBatch(new BatchBuilder().trade(1, etNs('2023-11-24', '13:00:01'), '80.00', 100).build());
    // first print of the day comes after 13:00 on Black Friday: post-market, not an opening print
    expect(alerts).toEqual([]);
  });
});

describe('price triggers', () => {
  it('reports a cross on trades exactly once, also after a reload', () => {
    const { engine, triggers } = setup();
    const list = [
      { id: 't1', tradeId: 'tr1', symbol: 'TSLA', level: '105.00', direction: 'above' },
      { id: 't2', tradeId: 'tr1', symbol: 'TSLA', level: '95.5', direction: 'below' },
      { id: 't3', tradeId: 'tr2', symbol: 'TSLA', level: 'abc', direction: 'below' },
      { id: 't4', tradeId: 'tr3', symbol: 'MSFT', level: '300', direction: 'above' }, // not mapped yet
    ];
    const res = engine.setPriceTriggers(list);
    expect(res.armed).toBe(3);
    expect(res.errors).toEqual([{ index: 2, id: 't3', reason: expect.stringMatching(/^level: /) }]);
    engine.mapSymbol(4, 'MSFT');
    engine.processBatch(
      new BatchBuilder()
        .trade(3, etNs(D, '10:00:00'), '104.99', 100)
        .mbp1(3, etNs(D, '10:00:01'), {
          action: 'A',
          price: '105.50',
          size: 100,
          bid: '105.40',
          ask: '105.50',
        }) // a quote: no
        .trade(3, etNs(D, '10:00:02'), '105.00', 100) // t1
        .trade(3, etNs(D, '10:00:03'), '106.00', 100)
        .trade(3, etNs(D, '10:00:04'), '95.50', 100) // t2
        .trade(4, etNs(D, '10:00:05'), '301.25', 10) // t4
        .build(),
    );
    expect(triggers).toEqual([
      {
        id: 't1',
        tradeId: 'tr1',
        symbol: 'TSLA',
        direction: 'above',
        level: '105.00',
        price: '105.00',
        ts_event: ns(D, '10:00:02'),
      },
      {
        id: 't2',
        tradeId: 'tr1',
        symbol: 'TSLA',
        direction: 'below',
        level: '95.5',
        price: '95.50',
        ts_event: ns(D, '10:00:04'),
      },
      {
        id: 't4',
        tradeId: 'tr3',
        symbol: 'MSFT',
        direction: 'above',
        level: '300',
        price: '301.25',
        ts_event: ns(D, '10:00:05'),
      },
    ]);
    expect(engine.setPriceTriggers(list).armed).toBe(0);
    engine.processBatch(new BatchBuilder().trade(3, etNs(D, '10:01:00'), '110.00', 100).build());
    expect(triggers).toHaveLength(3);
  });
});

describe('user rules in the engine', () => {
  const rule = {
    id: '11111111-1111-4111-8111-111111111111',
    user_id: '22222222-2222-4222-8222-222222222222',
    name: 'NVDA over 100.50',
    scope: { kind: 'symbols', symbols: ['NVDA'] },
    cooldown_s: 0,
    condition: { op: 'compare', left: { field: 'price' }, cmp: '>', right: { value: '100.50' } },
  };
  it('fires when the condition becomes true, once per crossing, for its symbols only', () => {
    const { engine, alerts } = setup();
    const bad = {
      ...rule,
      id: '33333333-3333-4333-8333-333333333333',
      condition: { op: 'compare', left: { field: 'pirce' }, cmp: '>', right: { value: 1 } },
    };
    const report = engine.setRules([rule, bad]);
    expect(report.loaded).toBe(1);
    expect(report.errors[0]).toMatchObject({
      ruleId: bad.id,
      index: 1,
      issues: [{ path: 'condition.left.field' }],
    });
    engine.processBatch(
      new BatchBuilder()
        .trade(1, etNs(D, '10:00:00'), '100.00', 100)
        .trade(1, etNs(D, '10:00:01'), '100.60', 100) // becomes true: FIRES
        .trade(1, etNs(D, '10:00:02'), '100.70', 100) // still true: no
        .trade(2, etNs(D, '10:00:02'), '200.00', 100) // AMD: out of scope
        .trade(1, etNs(D, '10:00:03'), '100.30', 100) // false
        .trade(1, etNs(D, '10:00:04'), '100.80', 100) // true again: FIRES
        .trade(1, etNs(D, '16:00:05'), '90.00', 100) // post-market: not in the rule's sessions
        .trade(1, etNs(D, '16:00:06'), '101.00', 100)
        .build(),
    );
    expect(alerts.map((a) => [a.type, a.ts_event, a.price, a.dedupe_key])).toEqual([
      ['rule', ns(D, '10:00:01'), '100.60', `NVDA:rule:${rule.id}:2023-11-21:100001`],
      ['rule', ns(D, '10:00:04'), '100.80', `NVDA:rule:${rule.id}:2023-11-21:100004`],
    ]);
    expect(alerts[0]).toMatchObject({
      user_id: rule.user_id,
      rule_id: rule.id,
      details: { rule_id: rule.id },
    });
  });

  it('resolves watchlist scopes from the lists it is given', () => {
    const { engine, alerts } = setup();
    const wl = '44444444-4444-4444-8444-444444444444';
    const onList = { ...rule, scope: { kind: 'watchlist', watchlist_id: wl } };
    expect(engine.setRules([onList]).errors[0]).toMatchObject({
      issues: [{ path: 'scope.watchlist_id', reason: `watchlist ${wl} is not loaded` }],
    });
    expect(engine.setRules([onList], { watchlists: { [wl]: ['AMD'] } })).toEqual({ loaded: 1, errors: [] });
    engine.processBatch(
      new BatchBuilder()
        .trade(1, etNs(D, '10:00:01'), '101.00', 100) // NVDA: not on the list
        .trade(2, etNs(D, '10:00:01'), '101.00', 100) // AMD: on the list
        .build(),
    );
    expect(alerts.map((a) => a.symbol)).toEqual(['AMD']);
  });

  it('keeps state across a reload that did not change the rule, and drops removed rules', () => {
    const { engine, alerts } = setup();
    engine.setRules([rule]);
    engine.processBatch(new BatchBuilder().trade(1, etNs(D, '10:00:01'), '100.60', 100).build());
    engine.setRules([rule]);
    engine.processBatch(new BatchBuilder().trade(1, etNs(D, '10:00:02'), '100.70', 100).build());
    expect(alerts).toHaveLength(1);
    engine.setRules([]);
    engine.processBatch(
      new BatchBuilder()
        .trade(1, etNs(D, '10:00:03'), '100.00', 100)
        .trade(1, etNs(D, '10:00:04'), '101.00', 100)
        .build(),
    );
    expect(alerts).toHaveLength(1);
  });
});

describe('record handling', () => {
  it('lets quote mids drive bars where a symbol has no trades, and skips other records', () => {
    const { engine } = setup();
    engine.processBatch(
      new BatchBuilder()
        .mbp1(2, etNs(D, '10:00:00'), { action: 'A', price: '10.00', size: 100, bid: '10.00', ask: '10.02' })
        .other(0x13, 2, etNs(D, '10:00:10')) // instrument definition: skipped
        .mbp1(2, etNs(D, '10:01:00'), { action: 'M', price: null, size: 0, bid: '10.10', ask: '10.12' }, 0xc3) // BBO-1s
        .trade(99, etNs(D, '10:01:01'), '1.00', 100) // unmapped instrument: skipped
        .build(),
    );
    const s = 1; // AMD's slot
    expect(engine.st.last[s]).toBe(10.11e9); // mid of 10.10 / 10.12
    expect(engine.st.barCount[s]).toBe(1); // the 10:00 bar (mid 10.01) closed at 10:01
    expect(engine.st.closeAt(s, 360)).toBe(10.01e9);
    expect(engine.stats).toMatchObject({ records: 4, quotes: 2, trades: 0, skipped: 2 });
    // a TBBO trade: counts as a print; from then on quotes no longer move the price
    engine.processBatch(
      new BatchBuilder()
        .mbp1(2, etNs(D, '10:02:00'), { action: 'T', price: '10.05', size: 300, bid: '10.04', ask: '10.06' })
        .mbp1(2, etNs(D, '10:02:01'), { action: 'A', price: '10.50', size: 100, bid: '10.50', ask: '10.60' })
        .build(),
    );
    expect(engine.st.last[s]).toBe(10.05e9);
    expect(engine.st.bid[s]).toBe(10.5e9);
    expect(engine.st.dayVolume[s]).toBe(300);
  });

  it('classifies records at exact session and minute edges to the nanosecond', () => {
    const { engine, alerts } = setup();
    engine.setReference('NVDA', { prevClose: '100.00' });
    engine.processBatch(
      new BatchBuilder()
        .trade(1, etNs(D, '09:30:00') - 1n, '90.00', 100) // 09:29:59.999999999: pre-market, too little volume
        .trade(1, etNs(D, '09:30:00'), '95.00', 100) // exactly 09:30: the opening print
        .trade(1, etNs(D, '09:31:00'), '95.10', 100) // exactly 09:31: a new minute
        .trade(1, etNs('2023-11-20', '15:00'), '95.20', 100) // yesterday, late: skipped
        .build(),
    );
    expect(alerts.map((a) => [a.type, a.session, a.price, a.dedupe_key])).toEqual([
      ['gap_down', 'regular', '95.00', 'NVDA:gap_down:2023-11-21'],
    ]);
    expect(engine.st.curMin[0]).toBe(331); // 09:31 is minute 331 after 04:00
    expect(engine.st.closeAt(0, 329)).toBe(90e9); // the 09:29 bar
    expect(engine.st.closeAt(0, 330)).toBe(95e9); // the 09:30 bar
    expect(engine.stats.skipped).toBe(1);
  });

  it('screens only its shard', () => {
    const mine = ['NVDA', 'AMD', 'TSLA', 'AAPL', 'MSFT', 'META'].filter((t) => shardOf(t, 2) === 0);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(6);
    const engine = new ScreenerEngine({ shard: { index: 0, count: 2 } });
    ['NVDA', 'AMD', 'TSLA', 'AAPL', 'MSFT', 'META'].forEach((t, i) => {
      engine.mapSymbol(i + 1, t);
    });
    expect(engine.st.tickers).toEqual(mine);
  });
});
