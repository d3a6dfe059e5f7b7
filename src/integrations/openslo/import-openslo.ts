import { stringify } from "yaml";
import { closestName } from "../../core/primitives/closest-name.js";
import type { Diagnostic } from "../../core/spec/diagnostic.js";
import { parseLocatedYaml } from "../../core/spec/located-yaml.js";
import { parseSloSpecs } from "../../core/spec/parse-slo-specs.js";
import { describeNode, fieldNode, SpecReport } from "../../core/spec/spec-fields.js";
import {
  asMap,
  type ImportContext,
  type NamedDocument,
  OPENSLO_KINDS,
  scalarText,
} from "./openslo-context.js";
import { importSlo } from "./openslo-slo-import.js";
import { OPENSLO_API_VERSION } from "./openslo-vocabulary.js";

export interface OpenSloImport {
  /** The deployslo/v1 SLO specs, as one multi-document YAML text ("" when nothing converted). */
  readonly yaml: string;
  readonly sloCount: number;
  /** Errors and warnings with file:line:column, in file order. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Every document of the file by kind and name; documents of other versions or kinds reported. */
function indexDocuments(source: string, report: SpecReport): NamedDocument[] {
  const out: NamedDocument[] = [];
  for (const doc of parseLocatedYaml(source)) {
    for (const error of doc.syntaxErrors)
      report.error(error.pos, "", `YAML syntax: ${error.message}`);
    const root = asMap(doc.root);
    if (root === undefined) {
      if (doc.root !== undefined && !(doc.root.kind === "scalar" && doc.root.value === null))
        report.error(
          doc.root,
          "",
          `an OpenSLO document is a mapping, got ${describeNode(doc.root)}`,
        );
      continue;
    }
    const version = fieldNode(root, "apiVersion");
    if (scalarText(version) !== OPENSLO_API_VERSION) {
      report.error(
        version ?? root,
        "apiVersion",
        `deployslo imports ${OPENSLO_API_VERSION}, got ${version === undefined ? "nothing" : describeNode(version)}`,
      );
      continue;
    }
    const kindNode = fieldNode(root, "kind");
    const kind = scalarText(kindNode) ?? "";
    if (!(OPENSLO_KINDS as readonly string[]).includes(kind)) {
      const guess = closestName(kind, OPENSLO_KINDS);
      report.error(
        kindNode ?? root,
        "kind",
        `must be an OpenSLO v1 kind (${OPENSLO_KINDS.join(", ")}), got ${kindNode === undefined ? "nothing" : describeNode(kindNode)}${guess === undefined ? "" : ` (did you mean "${guess}"?)`}`,
      );
      continue;
    }
    const name = scalarText(fieldNode(asMap(fieldNode(root, "metadata")), "name")) ?? "";
    out.push({ kind, name, root, used: false });
  }
  return out;
}

/** What deployslo cannot take from a document no SLO used, or from a kind it does not import. */
function reportLeftovers(documents: readonly NamedDocument[], report: SpecReport): void {
  for (const doc of documents) {
    if (doc.kind === "SLO") continue;
    if (doc.kind === "AlertNotificationTarget")
      report.warning(
        doc.root,
        "",
        `AlertNotificationTarget ${doc.name} is not imported: write a NotificationTarget document of that name (docs/notifications.md)`,
      );
    else if (doc.kind === "DataSource")
      report.warning(
        doc.root,
        "",
        `DataSource ${doc.name} is not imported: deployslo measures the attempts it records`,
      );
    else if (doc.kind === "Service")
      report.warning(
        doc.root,
        "",
        `Service ${doc.name} is not imported: the SLOs that name it get the label service: ${doc.name}`,
      );
    else if (!doc.used)
      report.warning(
        doc.root,
        "",
        `${doc.kind} ${doc.name} is not used by any SLO of the file: not imported`,
      );
  }
}

/**
 * Converts an OpenSLO v1 file into deployslo/v1 SLO specs. What deployslo cannot honour is an
 * error (nothing is converted then); what it leaves out or assumes is a warning. The result
 * is parsed back as a deployslo spec, so a conversion that would not validate is an error too.
 */
export function importOpenSlo(source: string, file: string): OpenSloImport {
  const report = new SpecReport(file);
  const documents = indexDocuments(source, report);
  const byKind = new Map<string, Map<string, NamedDocument>>();
  for (const doc of documents) {
    const named = byKind.get(doc.kind) ?? new Map<string, NamedDocument>();
    named.set(doc.name, doc);
    byKind.set(doc.kind, named);
  }
  const ctx: ImportContext = { report, byKind };
  const converted: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const doc of documents.filter((d) => d.kind === "SLO")) {
    const slo = importSlo(ctx, doc.root);
    if (slo === undefined) continue;
    if (seen.has(doc.name)) {
      report.error(doc.root, "metadata.name", `SLO name "${doc.name}" is used twice in the file`);
      continue;
    }
    seen.add(doc.name);
    const text = stringify(slo, { lineWidth: 0, aliasDuplicateObjects: false });
    for (const d of parseSloSpecs(text, file).diagnostics)
      report.add(d.severity, doc.root.pos, d.path, d.message);
    converted.push(slo);
  }
  reportLeftovers(documents, report);
  if (documents.every((d) => d.kind !== "SLO") && report.errorCount() === 0)
    report.error({ line: 1, column: 1 }, "", "holds no OpenSLO SLO document");
  const diagnostics = [...report.diagnostics].sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );
  const failed = report.errorCount() > 0;
  return {
    yaml: failed
      ? ""
      : converted
          .map((slo) => stringify(slo, { lineWidth: 0, aliasDuplicateObjects: false }))
          .join("---\n"),
    sloCount: failed ? 0 : converted.length,
    diagnostics,
  };
}
