'use client';
// The symbol page's charts (lightweight-charts v5, loaded only on that page): the day's 1-minute
// candles with the session VWAP and volume and a marker per alert; the day's alerts as a price line
// when no bars are stored; daily candles. Values are numbers here for plotting only: the page shows
// the exact decimal strings. Times are shifted to New York wall time (the library shows UTC).
import {
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  LineSeries,
  LineStyle,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import type { IntradayBar } from '@/lib/server/symbol-view.ts';

export type Tone = 'up' | 'down' | 'halt' | 'indicator';

export interface AlertPoint {
  time: number;
  price: number;
  tone: Tone;
  label: string;
}

export interface CandlePoint {
  time: string;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** An alert to mark on the candles: `t` in UTC seconds. */
export interface BarMarker {
  t: number;
  tone: Tone;
  label: string;
}

const COLORS = { up: '#22c55e', down: '#ef4444', halt: '#f59e0b', indicator: '#38bdf8' } as const;
const VWAP_COLOR = '#c084fc';

function baseChart(el: HTMLElement, timeVisible: boolean): IChartApi {
  return createChart(el, {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: '#0b0e13' },
      textColor: '#7d8898',
      fontSize: 11,
      attributionLogo: false,
    },
    grid: { vertLines: { color: '#161c26' }, horzLines: { color: '#161c26' } },
    rightPriceScale: { borderColor: '#1f2733' },
    timeScale: { borderColor: '#1f2733', timeVisible, secondsVisible: false },
    crosshair: { mode: 0 },
  });
}

interface Plot {
  candles: { time: UTCTimestamp; open: number; high: number; low: number; close: number }[];
  volume: { time: UTCTimestamp; value: number; color: string }[];
  /** The pre-market's VWAP, then the regular session's (two lines: no jump joining them). */
  vwapPre: { time: UTCTimestamp; value: number }[];
  vwap: { time: UTCTimestamp; value: number }[];
}

/** Bars -> series data. The VWAP restarts at the regular open, as the screener's does. */
export function plotBars(bars: readonly IntradayBar[], shift: number, openAt: number | null): Plot {
  const out: Plot = { candles: [], volume: [], vwapPre: [], vwap: [] };
  let pv = 0;
  let v = 0;
  let regular = false;
  for (const b of bars) {
    const time = (b.t - shift) as UTCTimestamp;
    const open = Number(b.o);
    const close = Number(b.c);
    out.candles.push({ time, open, high: Number(b.h), low: Number(b.l), close });
    const vol = Number(b.v);
    out.volume.push({ time, value: vol, color: close >= open ? '#22c55e55' : '#ef444455' });
    if (openAt !== null && !regular && b.t >= openAt) {
      regular = true;
      pv = 0;
      v = 0;
    }
    if (b.w !== null && vol > 0) {
      pv += Number(b.w) * vol;
      v += vol;
    }
    if (v > 0) (regular ? out.vwap : out.vwapPre).push({ time, value: pv / v });
  }
  return out;
}

/** Each alert on the bar of its minute (or the nearest earlier bar: a marker needs a bar's time). */
function placeMarkers(bars: readonly IntradayBar[], markers: readonly BarMarker[], shift: number) {
  const out: SeriesMarker<Time>[] = [];
  if (bars.length === 0) return out;
  const sorted = [...markers].sort((a, b) => a.t - b.t);
  let i = 0;
  for (const m of sorted) {
    const minute = m.t - (m.t % 60);
    while (i + 1 < bars.length && bars[i + 1]!.t <= minute) i++;
    out.push({
      time: (bars[i]!.t - shift) as UTCTimestamp,
      position: m.tone === 'down' ? 'aboveBar' : 'belowBar',
      shape: m.tone === 'down' ? 'arrowDown' : m.tone === 'up' ? 'arrowUp' : 'circle',
      color: COLORS[m.tone],
      text: m.label,
    });
  }
  return out;
}

export function IntradayChart({
  bars,
  markers,
  shift,
  openAt,
}: {
  bars: readonly IntradayBar[];
  markers: readonly BarMarker[];
  /** Seconds to subtract from UTC to show New York wall time. */
  shift: number;
  openAt: number | null;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const api = useRef<{
    chart: IChartApi;
    candles: ISeriesApi<'Candlestick'>;
    volume: ISeriesApi<'Histogram'>;
    vwap: ISeriesApi<'Line'>;
    vwapPre: ISeriesApi<'Line'>;
    marks: ISeriesMarkersPluginApi<Time>;
    fitted: boolean;
  } | null>(null);

  useEffect(() => {
    if (!ref.current) return;
    const chart = baseChart(ref.current, true);
    const candles = chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      borderVisible: false,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
      priceLineVisible: false,
    });
    // Volume in the bottom fifth, on its own scale.
    const volume = chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume',
      priceFormat: { type: 'volume' },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.25 } });
    const vwap = chart.addSeries(LineSeries, {
      color: VWAP_COLOR,
      lineWidth: 2,
      priceLineVisible: false,
      lastValueVisible: true,
      crosshairMarkerVisible: false,
      title: 'VWAP',
    });
    const vwapPre = chart.addSeries(LineSeries, {
      color: VWAP_COLOR,
      lineWidth: 1,
      lineStyle: LineStyle.Dashed,
      priceLineVisible: false,
      lastValueVisible: false,
      crosshairMarkerVisible: false,
    });
    api.current = {
      chart,
      candles,
      volume,
      vwap,
      vwapPre,
      marks: createSeriesMarkers(candles, []),
      fitted: false,
    };
    return () => {
      api.current = null;
      chart.remove();
    };
  }, []);

  // New bars every few seconds: replace the data, keep the trader's zoom after the first fit.
  useEffect(() => {
    const a = api.current;
    if (!a) return;
    const p = plotBars(bars, shift, openAt);
    a.candles.setData(p.candles);
    a.volume.setData(p.volume);
    a.vwap.setData(p.vwap);
    a.vwapPre.setData(p.vwapPre);
    if (!a.fitted && p.candles.length > 0) {
      a.chart.timeScale().fitContent();
      a.fitted = true;
    }
  }, [bars, shift, openAt]);

  useEffect(() => {
    api.current?.marks.setMarkers(placeMarkers(bars, markers, shift));
  }, [bars, markers, shift]);

  return (
    <div
      ref={ref}
      className="h-72 w-full sm:h-[26rem]"
      data-testid="intraday-chart"
      data-bars={bars.length}
      data-markers={markers.length}
    />
  );
}

export function AlertTimelineChart({ points }: { points: AlertPoint[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current || points.length === 0) return;
    const chart = baseChart(ref.current, true);
    const line = chart.addSeries(LineSeries, {
      color: '#d9e0ea',
      lineWidth: 2,
      pointMarkersVisible: true,
      priceLineVisible: false,
    });
    // One value per second (the chart needs strictly ascending times); every alert keeps its marker.
    const bySecond = new Map<number, number>();
    for (const p of points) bySecond.set(p.time, p.price);
    // Blank minutes in between keep the time axis proportional (the chart spaces points evenly).
    const data: ({ time: UTCTimestamp; value: number } | { time: UTCTimestamp })[] = [];
    const sorted = [...bySecond].sort((a, b) => a[0] - b[0]);
    for (const [i, [t, value]] of sorted.entries()) {
      data.push({ time: t as UTCTimestamp, value });
      const next = sorted[i + 1]?.[0];
      if (next !== undefined) for (let m = t + 60; m < next; m += 60) data.push({ time: m as UTCTimestamp });
    }
    line.setData(data);
    const markers: SeriesMarker<Time>[] = [...points]
      .sort((a, b) => a.time - b.time)
      .map((p) => ({
        time: p.time as UTCTimestamp,
        position: p.tone === 'down' ? 'aboveBar' : 'belowBar',
        shape: p.tone === 'down' ? 'arrowDown' : p.tone === 'up' ? 'arrowUp' : 'circle',
        color: COLORS[p.tone],
        text: p.label,
      }));
    createSeriesMarkers(line, markers);
    // A little room either side so the first and last markers are not cut by the chart's edges.
    chart.timeScale().setVisibleLogicalRange({ from: -4, to: data.length + 3 });
    return () => chart.remove();
  }, [points]);
  return <div ref={ref} className="h-64 w-full sm:h-80" data-testid="alert-chart" />;
}

export function DailyCandlesChart({ candles }: { candles: CandlePoint[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current || candles.length === 0) return;
    const chart = baseChart(ref.current, false);
    const series = chart.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      borderVisible: false,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
    });
    series.setData(candles.map((c) => ({ ...c, time: c.time as Time })));
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [candles]);
  return <div ref={ref} className="h-56 w-full" data-testid="daily-chart" />;
}
