import type { Located } from "../../core/spec/located-yaml.js";
import {
  describeNode,
  fieldNode,
  joinPath,
  type LocatedMap,
  mappingNode,
  type SpecReport,
} from "../../core/spec/spec-fields.js";

/** The OpenSLO v1 kinds; every other kind is reported. */
export const OPENSLO_KINDS = [
  "SLO",
  "SLI",
  "AlertPolicy",
  "AlertCondition",
  "AlertNotificationTarget",
  "Service",
  "DataSource",
] as const;

/** A named document of the file, and whether an SLO used it. */
export interface NamedDocument {
  readonly kind: string;
  readonly name: string;
  readonly root: LocatedMap;
  used: boolean;
}

/** What converting one file shares: its report and its documents by kind and name. */
export interface ImportContext {
  readonly report: SpecReport;
  readonly byKind: ReadonlyMap<string, ReadonlyMap<string, NamedDocument>>;
}

/** Reads a `kind: …Ref` reference: the named document of the file, marked used. */
export function resolveRef(
  ctx: ImportContext,
  kind: string,
  node: Located,
  path: string,
): LocatedMap | undefined {
  const name = node.kind === "scalar" ? node.value : undefined;
  const found = typeof name === "string" ? ctx.byKind.get(kind)?.get(name) : undefined;
  if (found === undefined) {
    ctx.report.error(
      node,
      path,
      `refers to ${kind} ${describeNode(node)}, which is not in this file: give every document the SLO refers to in the same file`,
    );
    return undefined;
  }
  found.used = true;
  return found.root;
}

/** A mapping with OpenSLO's fields; unknown fields are errors, as in deployslo's own specs. */
export function openSloMap(
  node: Located | undefined,
  path: string,
  known: readonly string[],
  ctx: ImportContext,
): LocatedMap | undefined {
  return mappingNode(node, path, known, ctx.report);
}

export function asMap(node: Located | undefined): LocatedMap | undefined {
  return node?.kind === "map" ? node : undefined;
}

export function scalarText(node: Located | undefined): string | undefined {
  if (node?.kind !== "scalar") return undefined;
  if (typeof node.value === "string") return node.value;
  if (typeof node.value === "number" || typeof node.value === "boolean") return String(node.value);
  return undefined;
}

/** An annotation's text, with its node for positions. */
export function annotation(
  metadata: LocatedMap | undefined,
  key: string,
): { readonly text: string; readonly node: Located } | undefined {
  const node = fieldNode(asMap(fieldNode(metadata, "annotations")), key);
  const text = scalarText(node);
  return node === undefined || text === undefined ? undefined : { text, node };
}

/** An annotation holding JSON (selector, alerting, policy), parsed; undefined after an error. */
export function jsonAnnotation(
  ctx: ImportContext,
  metadata: LocatedMap | undefined,
  key: string,
): unknown {
  const found = annotation(metadata, key);
  if (found === undefined) return undefined;
  try {
    return JSON.parse(found.text) as unknown;
  } catch {
    ctx.report.error(
      found.node,
      joinPath("metadata.annotations", key),
      "must be JSON, as deployslo export openslo writes it",
    );
    return undefined;
  }
}
