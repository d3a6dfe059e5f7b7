import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliCaptured } from "../support/capture-io.js";

const records = readFileSync("test/fixtures/attempts.ndjson", "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as Record<string, unknown>);

function csvCell(value: unknown): string {
  if (value === undefined) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function toCsv(rows: readonly Record<string, unknown>[]): string {
  const columns = [
    "id",
    "model",
    "version",
    "environment",
    "labels.team",
    "startedAt",
    "servingAt",
    "endedAt",
    "outcome",
    "stages",
    "dependencies",
  ];
  const lines = rows.map((row) =>
    columns
      .map((column) =>
        csvCell(
          column === "labels.team" ? (row.labels as Record<string, string>).team : row[column],
        ),
      )
      .join(","),
  );
  return `${columns.join(",")}\r\n${lines.join("\r\n")}\r\n`;
}

async function evaluateFile(path: string): Promise<string> {
  const run = await runCliCaptured([
    "evaluate",
    "-c",
    "test/fixtures/slos.yaml",
    "-d",
    path,
    "--at",
    "2026-10-14T09:30:00Z",
    "-f",
    "json",
  ]);
  expect(run.stderr).toBe("");
  expect(run.exitCode).toBe(0);
  return run.stdout;
}

describe("input formats", () => {
  const dir = mkdtempSync(join(tmpdir(), "deployslo-formats-"));
  const expected = readFileSync("test/golden/evaluate-fixture-json.stdout", "utf8");

  it("a pretty-printed JSON array gives the same evaluation as NDJSON", async () => {
    const path = join(dir, "attempts.json");
    writeFileSync(path, JSON.stringify(records, null, 2));
    expect(await evaluateFile(path)).toBe(expected);
  });

  it("CSV with label columns and JSON stage columns gives the same evaluation", async () => {
    const path = join(dir, "attempts.csv");
    writeFileSync(path, toCsv(records));
    expect(await evaluateFile(path)).toBe(expected);
  });

  it("records split across several files give the same evaluation", async () => {
    const a = join(dir, "a.ndjson");
    const b = join(dir, "b.jsonl");
    writeFileSync(
      a,
      `${records
        .slice(0, 5)
        .map((r) => JSON.stringify(r))
        .join("\n")}\n`,
    );
    writeFileSync(
      b,
      `\ufeff${records
        .slice(5)
        .map((r) => JSON.stringify(r))
        .join("\r\n")}`,
    );
    const run = await runCliCaptured([
      "evaluate",
      "-c",
      "test/fixtures/slos.yaml",
      "-d",
      a,
      "-d",
      b,
      "--at",
      "2026-10-14T09:30:00Z",
      "-f",
      "json",
    ]);
    expect(run.stdout).toBe(expected);
  });

  it("reports a CSV row's problems with its line", async () => {
    const path = join(dir, "bad.csv");
    writeFileSync(
      path,
      "id,model,version,environment,startedAt,outcome\nx,m,1,prod,2026-10-01T00:00:00Z,failed\n",
    );
    const run = await runCliCaptured(["evaluate", "-c", "test/fixtures/slos.yaml", "-d", path]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `${path}:2: outcome failed requires endedAt (when the attempt ended)`,
    );
  });

  describe("a bad record is one invalid record, and the records after it are read", () => {
    const three = records.slice(0, 3);
    const csvLines = toCsv(three).split("\r\n");
    // The second data row gets an extra cell; each format gets its own kind of damage.
    const cases: [string, string][] = [
      ["three.csv", [csvLines[0], csvLines[1], `${csvLines[2]},extra`, csvLines[3], ""].join("\n")],
      [
        "three.ndjson",
        three.map((r, i) => (i === 1 ? `${JSON.stringify(r)},1` : JSON.stringify(r))).join("\n"),
      ],
      [
        "three.json",
        `[\n${three.map((r, i) => (i === 1 ? JSON.stringify(r).replace("]", "") : JSON.stringify(r))).join(",\n")}\n]\n`,
      ],
    ];
    for (const [name, text] of cases) {
      it(`${name}: counts 1 invalid of 3, evaluates the other 2`, async () => {
        const path = join(dir, name);
        writeFileSync(path, text);
        const base = ["evaluate", "-c", "test/fixtures/slos.yaml", "-d", path];
        const refused = await runCliCaptured(base);
        expect(refused.exitCode).toBe(1);
        expect(refused.stderr).toMatch(/1 of 3 records invalid/);
        expect(refused.stderr).toContain(`${path}:${name.endsWith(".ndjson") ? 2 : 3}: `);
        const skipped = await runCliCaptured([...base, "--skip-invalid", "-f", "json"]);
        expect(skipped.exitCode).toBe(0);
        expect(skipped.stderr).toContain("deployslo: skipped 1 invalid of 3 records\n");
        const result = JSON.parse(skipped.stdout) as { slos: { eligible: number }[] };
        expect(result.slos.reduce((n, s) => n + s.eligible, 0)).toBeGreaterThan(0);
      });
    }
  });

  it("an empty file is an empty history, not an error", async () => {
    const path = join(dir, "empty.ndjson");
    writeFileSync(path, "");
    const run = await runCliCaptured([
      "evaluate",
      "-c",
      "test/fixtures/slos.yaml",
      "-d",
      path,
      "--at",
      "2026-10-14T09:30:00Z",
      "-f",
      "json",
    ]);
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout) as { slos: { eligible: number }[] };
    expect(result.slos.map((s) => s.eligible)).toEqual([0, 0, 0, 0]);
  });

  it("a directory is reported as unreadable", async () => {
    const run = await runCliCaptured(["evaluate", "-c", "test/fixtures/slos.yaml", "-d", dir]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(`deployslo: cannot read ${dir}: it is a directory\n`);
  });
});

describe("table output", () => {
  const argv = [
    "evaluate",
    "-c",
    "test/fixtures/slos.yaml",
    "-d",
    "test/fixtures/attempts.ndjson",
    "--at",
    "2026-10-14T09:30:00Z",
  ];
  it("is coloured on a terminal", async () => {
    expect((await runCliCaptured(argv, { tty: true })).stdout).toContain("\u001b[31m");
  });
  it("is plain on a terminal with NO_COLOR or --no-color", async () => {
    expect(
      (await runCliCaptured(argv, { tty: true, env: { NO_COLOR: "1" } })).stdout,
    ).not.toContain("\u001b[");
    expect((await runCliCaptured([...argv, "--no-color"], { tty: true })).stdout).not.toContain(
      "\u001b[",
    );
  });
  it("defaults --at to the clock", async () => {
    const run = await runCliCaptured(argv.slice(0, 5), { now: Date.parse("2026-10-14T09:30:00Z") });
    expect(run.stdout).toBe(readFileSync("test/golden/evaluate-fixture-table.stdout", "utf8"));
  });
});

describe("a file holding one pretty-printed record", () => {
  it("is read as one record", async () => {
    const dir = mkdtempSync(join(tmpdir(), "deployslo-document-"));
    const path = join(dir, "one.json");
    writeFileSync(path, JSON.stringify(records[0], null, 2));
    const run = await runCliCaptured([
      "evaluate",
      "-c",
      "test/fixtures/slos.yaml",
      "-d",
      path,
      "--at",
      "2026-10-14T09:30:00Z",
      "-f",
      "json",
    ]);
    expect(run.stderr).toBe("");
    const result = JSON.parse(run.stdout) as { slos: { name: string; good: number }[] };
    expect(result.slos.find((s) => s.name === "prod-deploys")?.good).toBe(1);
  });
});

describe("counts in the output", () => {
  it("says 1 attempt, not 1 attempts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "deployslo-one-"));
    const path = join(dir, "one.ndjson");
    writeFileSync(path, `${JSON.stringify(records[0])}\n`);
    const run = await runCliCaptured([
      "evaluate",
      "-c",
      "test/fixtures/slos.yaml",
      "-d",
      path,
      "--at",
      "2026-10-14T09:30:00Z",
      "--no-color",
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain("· 1 attempt from 1 file");
  });
});
