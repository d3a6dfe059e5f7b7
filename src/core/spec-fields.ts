import { closestName } from "./closest-name.js";
import type { Diagnostic, Severity } from "./diagnostic.js";
import { parseDuration } from "./duration.js";
import type { Located, Position } from "./located-yaml.js";

/** Field readers shared by the spec parsers (SLO, Pipeline): every problem goes to a Report. */

export type LocatedMap = Extract<Located, { kind: "map" }>;

/** Collects diagnostics for one file. */
export class Report {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly file: string) {}

  add(severity: Severity, pos: Position, path: string, message: string): void {
    this.diagnostics.push({
      severity,
      file: this.file,
      line: pos.line,
      column: pos.column,
      path,
      message,
    });
  }
  error(node: { pos: Position } | Position, path: string, message: string): void {
    this.add("error", "pos" in node ? node.pos : node, path, message);
  }
  warning(node: { pos: Position }, path: string, message: string): void {
    this.add("warning", node.pos, path, message);
  }
}

export function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

export function describe(node: Located): string {
  if (node.kind === "map") return "a mapping";
  if (node.kind === "seq") return "a list";
  return node.value === null ? "nothing" : JSON.stringify(node.value);
}

/** Checks a mapping's keys against the known ones; returns undefined when not a mapping. */
export function mapping(
  node: Located | undefined,
  path: string,
  known: readonly string[],
  report: Report,
): LocatedMap | undefined {
  if (node === undefined) return undefined;
  if (node.kind !== "map") {
    report.error(node, path, `must be a mapping, got ${describe(node)}`);
    return undefined;
  }
  for (const [key, entry] of node.entries) {
    if (!known.includes(key)) {
      const guess = closestName(key, known);
      const hint =
        guess === undefined
          ? ` (known fields: ${known.join(", ")})`
          : ` (did you mean "${guess}"?)`;
      report.error(entry.keyPos, join(path, key), `unknown field${hint}`);
    }
  }
  return node;
}

export function field(map: LocatedMap | undefined, key: string): Located | undefined {
  return map?.entries.get(key)?.value;
}

export function text(node: Located | undefined, path: string, report: Report): string | undefined {
  if (node === undefined) return undefined;
  if (node.kind === "scalar" && typeof node.value === "string" && node.value.length > 0) {
    return node.value;
  }
  if (
    node.kind === "scalar" &&
    (typeof node.value === "number" || typeof node.value === "boolean")
  ) {
    return String(node.value);
  }
  report.error(node, path, `must be a non-empty string, got ${describe(node)}`);
  return undefined;
}

export function stringMap(
  node: Located | undefined,
  path: string,
  report: Report,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (node === undefined || (node.kind === "scalar" && node.value === null)) return out;
  if (node.kind !== "map") {
    report.error(node, path, `must be a mapping of names to strings, got ${describe(node)}`);
    return out;
  }
  for (const [key, entry] of node.entries) {
    const value = text(entry.value, join(path, key), report);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export function duration(node: Located, path: string, report: Report): number | undefined {
  if (node.kind === "scalar" && typeof node.value === "number") {
    report.error(
      node,
      path,
      `${node.value} has no unit: write ${node.value}s, ${node.value}m or similar`,
    );
    return undefined;
  }
  const raw = text(node, path, report);
  if (raw === undefined) return undefined;
  const parsed = parseDuration(raw);
  if (!parsed.ok) {
    report.error(node, path, parsed.reason);
    return undefined;
  }
  return parsed.ms;
}
