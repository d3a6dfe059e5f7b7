import { parseLocatedYaml } from "./located-yaml.js";

/** The kinds of config documents deployslo reads; each has its own parser. */
export const DOCUMENT_KINDS = ["SLO", "NotificationTarget", "Pipeline"] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * The `kind` of each document of a YAML file that has one as plain text, in order: enough to
 * send the file to the parser of its kind, which reports everything else with positions.
 */
export function documentKinds(source: string): string[] {
  return parseLocatedYaml(source).flatMap((doc) => {
    const root = doc.root;
    if (root?.kind !== "map") return [];
    const kind = root.entries.get("kind")?.value;
    return kind?.kind === "scalar" && typeof kind.value === "string" ? [kind.value] : [];
  });
}
