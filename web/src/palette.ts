// One set of colours for good / at risk / bad everywhere, in both themes (mirrors styles.css).
export interface Palette {
  good: string;
  risk: string;
  bad: string;
  accent: string;
  muted: string;
  grid: string;
  text: string;
  p50: string;
  p95: string;
  p99: string;
  threshold: string;
}

const LIGHT: Palette = {
  good: "#15803d",
  risk: "#b45309",
  bad: "#b91c1c",
  accent: "#2563eb",
  muted: "#64748b",
  grid: "rgba(100,116,139,0.18)",
  text: "#334155",
  p50: "#0891b2",
  p95: "#7c3aed",
  p99: "#db2777",
  threshold: "#b91c1c",
};

const DARK: Palette = {
  good: "#4ade80",
  risk: "#fbbf24",
  bad: "#f87171",
  accent: "#60a5fa",
  muted: "#94a3b8",
  grid: "rgba(148,163,184,0.16)",
  text: "#cbd5e1",
  p50: "#22d3ee",
  p95: "#a78bfa",
  p99: "#f472b6",
  threshold: "#f87171",
};

export function palette(theme: "light" | "dark"): Palette {
  return theme === "dark" ? DARK : LIGHT;
}
