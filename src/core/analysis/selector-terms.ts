import type { Selector } from "../spec/slo.js";

export type SelectorParse =
  | { readonly ok: true; readonly selector: Selector }
  | { readonly ok: false; readonly reason: string };

const TERM = /^([A-Za-z0-9_.\-/]+)=(.+)$/;

const ATTRIBUTE = "attribute.";

/**
 * Reads `KEY=VALUE` terms into a selector: `environment` and `model` (globs allowed),
 * `attribute.NAME` an attribute that must be equal (see Selector.attributes), any other key a
 * label that must be equal. Each key at most once; no terms selects every attempt.
 */
export function parseSelectorTerms(terms: readonly string[]): SelectorParse {
  let environment: string | null = null;
  let model: string | null = null;
  const labels: Record<string, string> = {};
  const attributes: Record<string, string> = {};
  const seen = new Set<string>();
  for (const term of terms
    .flatMap((t) => t.split(","))
    .map((t) => t.trim())
    .filter((t) => t !== "")) {
    const match = TERM.exec(term);
    if (match === null)
      return {
        ok: false,
        reason: `"${term}" is not KEY=VALUE (e.g. environment=production, team=risk)`,
      };
    const [, key = "", value = ""] = match;
    if (seen.has(key)) return { ok: false, reason: `"${key}" is given twice` };
    seen.add(key);
    if (key === "environment") environment = value;
    else if (key === "model") model = value;
    else if (key.startsWith(ATTRIBUTE) && key.length > ATTRIBUTE.length)
      attributes[key.slice(ATTRIBUTE.length)] = value;
    else labels[key] = value;
  }
  const selector = { environment, model, labels };
  return {
    ok: true,
    selector: Object.keys(attributes).length === 0 ? selector : { ...selector, attributes },
  };
}

/** The selector written back as terms, for messages and snippets. */
export function selectorTerms(selector: Selector): string[] {
  const terms: string[] = [];
  if (selector.environment !== null) terms.push(`environment=${selector.environment}`);
  if (selector.model !== null) terms.push(`model=${selector.model}`);
  for (const [key, value] of Object.entries(selector.labels)) terms.push(`${key}=${value}`);
  for (const [key, value] of Object.entries(selector.attributes ?? {}))
    terms.push(`${ATTRIBUTE}${key}=${value}`);
  return terms;
}
