import { parseTemplate, type Template } from "../primitives/template.js";
import type { Located, Position } from "../spec/located-yaml.js";
import {
  durationValue as duration,
  type SpecReport as Report,
  textValue as text,
} from "../spec/spec-fields.js";

// Field readers shared by the pipeline's parsers.

/** A YAML value as plain data (a request body), positions dropped. */
export function plain(node: Located): unknown {
  if (node.kind === "scalar") return node.value;
  if (node.kind === "seq") return node.items.map(plain);
  const out: Record<string, unknown> = {};
  for (const [key, entry] of node.entries) out[key] = plain(entry.value);
  return out;
}

export function template(
  node: Located | undefined,
  path: string,
  report: Report,
): Template | undefined {
  const raw = text(node, path, report);
  if (raw === undefined || node === undefined) return undefined;
  const parsed = parseTemplate(raw);
  if (!parsed.ok) {
    report.error(node, path, parsed.reason);
    return undefined;
  }
  return parsed.template;
}

export function optionalDuration(
  node: Located | undefined,
  path: string,
  fallback: number,
  report: Report,
  { allowZero = false } = {},
): number {
  if (node === undefined) return fallback;
  const ms = duration(node, path, report);
  if (ms === undefined) return fallback;
  if (ms === 0 && !allowZero) {
    report.error(node, path, "must be longer than 0s");
    return fallback;
  }
  return ms;
}

export function httpUrl(node: Located | undefined, path: string, report: Report, at: Position) {
  if (node === undefined) {
    report.error(at, path, "is required (http://… or https://…)");
    return undefined;
  }
  const url = template(node, path, report);
  if (url !== undefined && !/^(https?:\/\/|\$\{)/.test(url.source)) {
    report.error(node, path, `must start with http:// or https://, got "${url.source}"`);
    return undefined;
  }
  return url;
}
