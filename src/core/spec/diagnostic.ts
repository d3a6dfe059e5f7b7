export type Severity = "error" | "warning";

/** A finding about a config file: where it is, what field, and what to do about it. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly file: string;
  /** 1-based; 0 when the position is unknown. */
  readonly line: number;
  readonly column: number;
  /** Dotted field path inside the document, e.g. `spec.objective.target`; "" for the document. */
  readonly path: string;
  readonly message: string;
}

/** `slos.yaml:12:13: error: spec.objective.target: target 99 looks like a percentage…` */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const path = d.path === "" ? "" : `${d.path}: `;
  return `${where}: ${d.severity}: ${path}${d.message}`;
}
