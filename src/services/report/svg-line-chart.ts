import { escapeHtml } from "./escape-html.js";

export interface LineChart {
  readonly title: string;
  /** One label per point (dates); the first, middle and last are written under the axis. */
  readonly labels: readonly string[];
  /** null: no value that day (the line breaks). */
  readonly values: readonly (number | null)[];
  readonly format: (value: number) => string;
  /** A horizontal reference (the threshold, the budget's zero), drawn dashed. */
  readonly reference?: { readonly value: number; readonly label: string } | undefined;
  /** Values the y axis must include besides the data (e.g. 0 and 1 for a ratio). */
  readonly include?: readonly number[];
}

const WIDTH = 640;
const HEIGHT = 200;
const LEFT = 64;
const RIGHT = 16;
const TOP = 28;
const BOTTOM = 28;

function round(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** The polyline segments between missing values, as SVG point lists. */
function segments(points: readonly (readonly [number, number] | null)[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  for (const point of points) {
    if (point === null) {
      if (current.length > 0) out.push(current.join(" "));
      current = [];
      continue;
    }
    current.push(`${round(point[0])},${round(point[1])}`);
  }
  if (current.length > 0) out.push(current.join(" "));
  return out;
}

/** A self-contained SVG line chart (no script, no external resource); every text escaped. */
export function svgLineChart(chart: LineChart): string {
  const known = chart.values.filter((v): v is number => v !== null);
  const bounds = [...known, ...(chart.include ?? [])];
  if (chart.reference !== undefined) bounds.push(chart.reference.value);
  let low = bounds.length === 0 ? 0 : Math.min(...bounds);
  let high = bounds.length === 0 ? 1 : Math.max(...bounds);
  if (high === low) {
    high += 1;
    low -= high === 1 ? 0 : 1;
  }
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const n = chart.values.length;
  const x = (i: number) => LEFT + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number) => TOP + ((high - v) * plotH) / (high - low);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(chart.title)}">`,
    `<title>${escapeHtml(chart.title)}</title>`,
    `<text x="${LEFT}" y="16" class="title">${escapeHtml(chart.title)}</text>`,
    `<line x1="${LEFT}" y1="${TOP + plotH}" x2="${LEFT + plotW}" y2="${TOP + plotH}" class="axis"/>`,
    `<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + plotH}" class="axis"/>`,
    `<text x="${LEFT - 6}" y="${TOP + 4}" class="tick" text-anchor="end">${escapeHtml(chart.format(high))}</text>`,
    `<text x="${LEFT - 6}" y="${TOP + plotH}" class="tick" text-anchor="end">${escapeHtml(chart.format(low))}</text>`,
  ];
  for (const i of new Set([0, Math.floor((n - 1) / 2), n - 1])) {
    const label = chart.labels[i];
    if (label === undefined || i < 0) continue;
    const anchor = n > 1 && i === n - 1 ? "end" : i === 0 && n > 1 ? "start" : "middle";
    parts.push(
      `<text x="${round(x(i))}" y="${HEIGHT - 8}" class="tick" text-anchor="${anchor}">${escapeHtml(label)}</text>`,
    );
  }
  if (chart.reference !== undefined) {
    const ry = round(y(chart.reference.value));
    parts.push(
      `<line x1="${LEFT}" y1="${ry}" x2="${LEFT + plotW}" y2="${ry}" class="reference"/>`,
      `<text x="${LEFT + plotW}" y="${Number(ry) - 4}" class="tick" text-anchor="end">${escapeHtml(chart.reference.label)}</text>`,
    );
  }
  const points = chart.values.map((v, i) => (v === null ? null : ([x(i), y(v)] as const)));
  for (const line of segments(points))
    parts.push(`<polyline points="${line}" class="line" fill="none"/>`);
  chart.values.forEach((v, i) => {
    if (v === null) return;
    parts.push(
      `<circle cx="${round(x(i))}" cy="${round(y(v))}" r="2.5" class="dot"><title>${escapeHtml(`${chart.labels[i] ?? ""}: ${chart.format(v)}`)}</title></circle>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}
