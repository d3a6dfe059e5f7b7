import { closestName } from "../primitives/closest-name.js";
import { type DurationBounds, missingUnitReason, parseDuration } from "../primitives/duration.js";
import type { Diagnostic, Severity } from "./diagnostic.js";
import type { Located, Position } from "./located-yaml.js";

export type LocatedMap = Extract<Located, { kind: "map" }>;

/** Collects the diagnostics of one spec file. */
export class SpecReport {
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
  warning(node: { pos: Position } | Position, path: string, message: string): void {
    this.add("warning", "pos" in node ? node.pos : node, path, message);
  }
  errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === "error").length;
  }
}

export function joinPath(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

export function describeNode(node: Located): string {
  if (node.kind === "map") return "a mapping";
  if (node.kind === "seq") return "a list";
  return node.value === null ? "nothing" : JSON.stringify(node.value);
}

/** Checks a mapping's keys against the known ones; undefined (and an error) when not a mapping. */
export function mappingNode(
  node: Located | undefined,
  path: string,
  known: readonly string[],
  report: SpecReport,
): LocatedMap | undefined {
  if (node === undefined) return undefined;
  if (node.kind !== "map") {
    report.error(node, path, `must be a mapping, got ${describeNode(node)}`);
    return undefined;
  }
  for (const [key, entry] of node.entries) {
    if (!known.includes(key)) {
      const guess = closestName(key, known);
      const hint =
        guess === undefined
          ? ` (known fields: ${known.join(", ")})`
          : ` (did you mean "${guess}"?)`;
      report.error(entry.keyPos, joinPath(path, key), `unknown field${hint}`);
    }
  }
  return node;
}

export function fieldNode(map: LocatedMap | undefined, key: string): Located | undefined {
  return map?.entries.get(key)?.value;
}

export function textValue(
  node: Located | undefined,
  path: string,
  report: SpecReport,
): string | undefined {
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
  report.error(node, path, `must be a non-empty string, got ${describeNode(node)}`);
  return undefined;
}

export function stringMapValue(
  node: Located | undefined,
  path: string,
  report: SpecReport,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (node === undefined || (node.kind === "scalar" && node.value === null)) return out;
  if (node.kind !== "map") {
    report.error(node, path, `must be a mapping of names to strings, got ${describeNode(node)}`);
    return out;
  }
  for (const [key, entry] of node.entries) {
    const value = textValue(entry.value, joinPath(path, key), report);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** A duration field; `bounds`, when the field has them, keep the hint for a bare number valid. */
export function durationValue(
  node: Located,
  path: string,
  report: SpecReport,
  bounds?: DurationBounds,
): number | undefined {
  if (node.kind === "scalar" && typeof node.value === "number") {
    report.error(node, path, missingUnitReason(String(node.value), bounds));
    return undefined;
  }
  const raw = textValue(node, path, report);
  if (raw === undefined) return undefined;
  const parsed = parseDuration(raw, bounds);
  if (!parsed.ok) {
    report.error(node, path, parsed.reason);
    return undefined;
  }
  return parsed.ms;
}

/**
 * Names must be unique across files: one error at each repeat, pointing at the first
 * definition. `message` words it for the kind of spec.
 */
export function repeatedNames<T extends { name: string; source: { file: string; line: number } }>(
  items: readonly T[],
  message: (item: T, first: T) => string,
): Diagnostic[] {
  const seen = new Map<string, T>();
  const diagnostics: Diagnostic[] = [];
  for (const item of items) {
    const first = seen.get(item.name);
    if (first === undefined) seen.set(item.name, item);
    else {
      diagnostics.push({
        severity: "error",
        file: item.source.file,
        line: item.source.line,
        column: 1,
        path: "metadata.name",
        message: message(item, first),
      });
    }
  }
  return diagnostics;
}

/**
 * A document's `metadata.name`: required, and matching `pattern` (`rule` says how, in the
 * error); undefined, with the error reported, otherwise.
 */
export function metadataName(
  top: Located,
  metadataNode: Located | undefined,
  metadata: LocatedMap | undefined,
  report: SpecReport,
  pattern: RegExp,
  rule: string,
): string | undefined {
  const nameNode = fieldNode(metadata, "name");
  if (metadataNode === undefined) {
    report.error(top, "metadata", "is required (metadata.name)");
    return undefined;
  }
  if (nameNode === undefined) {
    report.error(metadataNode, "metadata.name", "is required");
    return undefined;
  }
  const name = textValue(nameNode, "metadata.name", report);
  if (name === undefined || pattern.test(name)) return name;
  report.error(nameNode, "metadata.name", `"${name}" must be ${rule}`);
  return undefined;
}

/** What a document's `metadata.name` must look like, and how to say so. */
export interface NameRule {
  readonly pattern: RegExp;
  readonly description: string;
}

/**
 * A document's `metadata`: its name (undefined after an error), description and, for kinds
 * that take them, labels (empty otherwise).
 */
export function parseMetadata(
  top: LocatedMap,
  report: SpecReport,
  rule: NameRule,
  withLabels: boolean,
): {
  readonly name: string | undefined;
  readonly description: string | null;
  readonly labels: Record<string, string>;
} {
  const metadataNode = fieldNode(top, "metadata");
  const known = withLabels ? ["name", "description", "labels"] : ["name", "description"];
  const metadata = mappingNode(metadataNode, "metadata", known, report);
  const name = metadataName(top, metadataNode, metadata, report, rule.pattern, rule.description);
  const descriptionNode = fieldNode(metadata, "description");
  const description =
    descriptionNode === undefined
      ? null
      : (textValue(descriptionNode, "metadata.description", report) ?? null);
  const labels = withLabels
    ? stringMapValue(fieldNode(metadata, "labels"), "metadata.labels", report)
    : {};
  return { name, description, labels };
}
