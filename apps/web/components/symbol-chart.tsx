'use client';
// The symbol page's charts (lightweight-charts v5): the day's alerts as a price line with a marker
// per alert (colour by tone, arrow by direction), and daily candles when the database has them.
import {
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  LineSeries,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef } from 'react';

export interface AlertPoint {
  time: number;
  price: number;
  tone: 'up' | 'down' | 'halt' | 'indicator';
  label: string;
}

export interface CandlePoint {
  time: string;
  open: number;
  high: number;
  low: number;
  close: number;
}

const COLORS = { up: '#22c55e', down: '#ef4444', halt: '#f59e0b', indicator: '#38bdf8' } as const;

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
