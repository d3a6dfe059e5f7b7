/** CLI invocations whose whole output is pinned in test/golden/<name>.{stdout,stderr,code}. */
export const GOLDEN_CASES: readonly { name: string; argv: readonly string[] }[] = [
  {
    name: "evaluate-example-json",
    argv: ["evaluate", "-c", "examples/slos.yaml", "-d", "examples/history.ndjson", "--at", "2026-10-31T00:00:00Z", "--format", "json"],
  },
  {
    name: "evaluate-example-table",
    argv: ["evaluate", "-c", "examples/slos.yaml", "-d", "examples/history.ndjson", "--at", "2026-10-31T00:00:00Z"],
  },
  {
    name: "evaluate-fixture-json",
    argv: ["evaluate", "-c", "test/fixtures/slos.yaml", "-d", "test/fixtures/attempts.ndjson", "--at", "2026-10-14T09:30:00Z", "-f", "json"],
  },
  {
    name: "evaluate-fixture-table",
    argv: ["evaluate", "-c", "test/fixtures/slos.yaml", "-d", "test/fixtures/attempts.ndjson", "--at", "2026-10-14T09:30:00Z"],
  },
  {
    name: "evaluate-invalid-records",
    argv: ["evaluate", "-c", "test/fixtures/slos.yaml", "-d", "test/fixtures/attempts-invalid.ndjson", "--at", "2026-10-14T09:30:00Z"],
  },
  {
    name: "evaluate-skip-invalid",
    argv: ["evaluate", "-c", "test/fixtures/slos.yaml", "-d", "test/fixtures/attempts-invalid.ndjson", "--at", "2026-10-14T09:30:00Z", "--skip-invalid", "-f", "json"],
  },
  {
    name: "evaluate-invalid-config",
    argv: ["evaluate", "-c", "test/fixtures/slos-invalid.yaml", "-d", "test/fixtures/attempts.ndjson"],
  },
  { name: "evaluate-missing-file", argv: ["evaluate", "-c", "test/fixtures/slos.yaml", "-d", "test/fixtures/no-such-file.ndjson"] },
  { name: "evaluate-bad-at", argv: ["evaluate", "-c", "test/fixtures/slos.yaml", "-d", "test/fixtures/attempts.ndjson", "--at", "last tuesday"] },
  { name: "evaluate-no-config", argv: ["evaluate", "-d", "test/fixtures/attempts.ndjson"] },
  { name: "evaluate-unknown-option", argv: ["evaluate", "--colour"] },
  { name: "validate-valid", argv: ["validate", "examples/slos.yaml", "test/fixtures/slos.yaml"] },
  { name: "validate-invalid", argv: ["validate", "test/fixtures/slos-invalid.yaml"] },
  { name: "validate-invalid-json", argv: ["validate", "--format", "json", "test/fixtures/slos-invalid.yaml"] },
];
