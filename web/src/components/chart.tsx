import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { palette } from "../palette.js";
import { useTheme } from "../theme.js";

export interface ChartSeries {
  label: string;
  values: readonly (number | null)[];
  color: string;
  dash?: number[];
  width?: number;
  fill?: string;
}

export interface ChartProps {
  /** X values: epoch seconds for time charts, plain numbers otherwise. */
  x: number[];
  series: ChartSeries[];
  height?: number;
  time?: boolean;
  bars?: boolean;
  yLabel?: string;
  yFormat?: (value: number) => string;
  xFormat?: (value: number) => string;
  yRange?: [number, number];
  /** Tick increments that read well as durations (seconds) on the x or y axis. */
  durationAxis?: "x" | "y";
  /** A vertical marker at this x (e.g. the threshold on a histogram). */
  xMarker?: { at: number; label: string; color: string };
  ariaLabel: string;
}

const DURATION_INCREMENTS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10_800, 21_600, 43_200,
  86_400,
];

function markerPlugin(marker: NonNullable<ChartProps["xMarker"]>): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const x = u.valToPos(marker.at, "x", true);
        const { top, height } = u.bbox;
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = marker.color;
        ctx.lineWidth = 2 * devicePixelRatio;
        ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = marker.color;
        ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
        ctx.fillText(marker.label, x + 6 * devicePixelRatio, top + 14 * devicePixelRatio);
        ctx.restore();
      },
    },
  };
}

/** A uPlot chart that follows its container's width and the theme. */
export function Chart(props: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const theme = useTheme();

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const colors = palette(theme);
    const axis = {
      stroke: colors.muted,
      grid: { stroke: colors.grid, width: 1 },
      ticks: { stroke: colors.grid, width: 1 },
      font: "12px system-ui, sans-serif",
    };
    const bars = props.bars ? uPlot.paths.bars?.({ size: [0.92, 100], align: 1 }) : undefined;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height: props.height ?? 220,
      scales: {
        x: { time: props.time ?? true },
        y: props.yRange === undefined ? {} : { range: props.yRange },
      },
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      axes: [
        {
          ...axis,
          ...(props.durationAxis === "x" ? { incrs: DURATION_INCREMENTS } : {}),
          ...(props.xFormat === undefined
            ? {}
            : {
                values: (_u: uPlot, ticks: number[]) =>
                  ticks.map((t) => props.xFormat?.(t) ?? String(t)),
              }),
        },
        {
          ...axis,
          size: 64,
          ...(props.durationAxis === "y" ? { incrs: DURATION_INCREMENTS } : {}),
          ...(props.yLabel === undefined
            ? {}
            : { label: props.yLabel, labelFont: "12px system-ui" }),
          ...(props.yFormat === undefined
            ? {}
            : {
                values: (_u: uPlot, ticks: number[]) =>
                  ticks.map((t) => props.yFormat?.(t) ?? String(t)),
              }),
        },
      ],
      series: [
        props.xFormat === undefined
          ? {}
          : { value: (_u: uPlot, v: number) => props.xFormat?.(v) ?? "" },
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 2,
          ...(s.dash === undefined ? {} : { dash: s.dash }),
          ...(s.fill === undefined ? {} : { fill: s.fill }),
          ...(bars === undefined ? {} : { paths: bars, points: { show: false } }),
          spanGaps: false,
          ...(props.yFormat === undefined
            ? {}
            : {
                value: (_u: uPlot, v: number | null) =>
                  v === null ? "—" : (props.yFormat?.(v) ?? ""),
              }),
        })),
      ],
      plugins: props.xMarker === undefined ? [] : [markerPlugin(props.xMarker)],
    };
    const data = [props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData;
    const plot = new uPlot(options, data, element);
    const observer = new ResizeObserver(() => {
      plot.setSize({ width: Math.max(200, element.clientWidth), height: props.height ?? 220 });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [props, theme]);

  return <div className="chart" ref={host} role="img" aria-label={props.ariaLabel} />;
}
