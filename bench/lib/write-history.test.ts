import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { generateHistoryLines, type HistoryOptions } from "../../src/sample/generate-history.js";
import { main, parseWriteHistoryArgs, UsageError, writeHistory } from "./write-history.js";

const START = Date.parse("2026-09-01T00:00:00Z");

/** A sink that applies back-pressure: tiny buffer, asynchronous completion. */
function slowSink(): { stream: Writable; text: () => string; drains: () => number } {
  const chunks: Buffer[] = [];
  let drains = 0;
  const stream = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      setImmediate(callback);
    },
  });
  stream.on("drain", () => {
    drains += 1;
  });
  return { stream, text: () => Buffer.concat(chunks).toString("utf8"), drains: () => drains };
}

describe("parseWriteHistoryArgs", () => {
  it("parses the documented flags", () => {
    const args = parseWriteHistoryArgs([
      "--seed",
      "42",
      "--days",
      "60",
      "--start",
      "2026-09-01T00:00:00Z",
      "--in-progress-at-end",
      "--out",
      "history.ndjson",
    ]);
    expect(args).toEqual({
      out: "history.ndjson",
      count: undefined,
      history: {
        seed: 42,
        start: START,
        days: 60,
        withStages: true,
        inProgressAtEnd: true,
      },
    });
  });

  it("raises the arrival rate so that --count is reached", () => {
    const args = parseWriteHistoryArgs(["--plain", "--count", "1000000", "--out", "-"]);
    if (args === "help") throw new Error("unexpected help");
    expect(args.count).toBe(1_000_000);
    expect(args.history.withStages).toBe(false);
    expect(args.history.days).toBe(60);
    expect(args.history.attemptsPerDay).toBeGreaterThanOrEqual(1_000_000 / 60);
    const explicit = parseWriteHistoryArgs(["--count", "5", "--attempts-per-day", "3", "-o", "x"]);
    if (explicit === "help") throw new Error("unexpected help");
    expect(explicit.history.attemptsPerDay).toBe(3);
    const noDegradation = parseWriteHistoryArgs(["--no-degradation", "--out", "x"]);
    if (noDegradation === "help") throw new Error("unexpected help");
    expect(noDegradation.history.degradation).toBe(false);
  });

  it("recognises --help", () => {
    expect(parseWriteHistoryArgs(["--help"])).toBe("help");
  });

  it.each([
    [[], "--out is required"],
    [["--out", "x", "--seed", "abc"], "--seed must be a number"],
    [["--out", "x", "--seed", "1.5"], "--seed must be an integer"],
    [["--out", "x", "--days", "0"], "--days must be greater than 0"],
    [["--out", "x", "--days", ""], "--days must be a number"],
    [["--out", "x", "--start", "yesterday"], "--start must be an ISO 8601 date-time"],
    [["--out", "x", "--count=-3"], "--count must be greater than 0"],
    [["--out", "x", "--count", "-3"], "argument is ambiguous"],
    [["--out", "x", "--colour"], "Unknown option"],
    [["--out", "x", "extra"], "positional"],
    [["--out"], "argument missing"],
  ])("rejects %j", (argv, message) => {
    expect(() => parseWriteHistoryArgs(argv)).toThrow(UsageError);
    expect(() => parseWriteHistoryArgs(argv)).toThrow(message);
  });
});

describe("writeHistory", () => {
  it("streams NDJSON with back-pressure, identical to the generator's lines", async () => {
    const history: HistoryOptions = { seed: 5, start: START, days: 10 };
    const sink = slowSink();
    const written = await writeHistory(sink.stream, history);
    const expected = [...generateHistoryLines(history)];
    expect(written).toBe(expected.length);
    expect(sink.text()).toBe(`${expected.join("\n")}\n`);
    expect(sink.drains()).toBeGreaterThan(0);
  });

  it("stops after --count records", async () => {
    const history: HistoryOptions = { seed: 5, start: START, days: 10, withStages: false };
    const sink = slowSink();
    expect(await writeHistory(sink.stream, history, 7)).toBe(7);
    const lines = sink.text().split("\n");
    expect(lines).toHaveLength(8);
    expect(lines[7]).toBe("");
    expect(lines.slice(0, 7)).toEqual([...generateHistoryLines(history)].slice(0, 7));
  });

  it("fails when the stream fails", async () => {
    const stream = new Writable({
      highWaterMark: 16,
      write(_chunk, _encoding, callback) {
        callback(new Error("disk full"));
      },
    });
    stream.on("error", () => {});
    await expect(
      writeHistory(stream, { seed: 1, start: START, days: 30, attemptsPerDay: 500 }),
    ).rejects.toThrow("disk full");
  });
});

describe("main", () => {
  let dir: string | undefined;
  afterEach(() => {
    vi.restoreAllMocks();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("writes the file and returns 0", async () => {
    dir = mkdtempSync(join(tmpdir(), "write-history-"));
    const out = join(dir, "h.ndjson");
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const code = await main(["--seed", "3", "--days", "2", "--plain", "--out", out]);
    expect(code).toBe(0);
    const history: HistoryOptions = { seed: 3, start: START, days: 2, withStages: false };
    const expected = [...generateHistoryLines({ ...history, inProgressAtEnd: false })];
    expect(readFileSync(out, "utf8")).toBe(`${expected.join("\n")}\n`);
    expect(String(stderr.mock.calls[0]?.[0])).toContain(`wrote ${expected.length} records`);
  });

  it("warns when the history is shorter than --count", async () => {
    dir = mkdtempSync(join(tmpdir(), "write-history-"));
    const out = join(dir, "h.ndjson");
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const argv = ["--days", "1", "--attempts-per-day", "5", "--count", "1000", "--out", out];
    expect(await main(argv)).toBe(0);
    const text = stderr.mock.calls.map((c) => String(c[0])).join("");
    expect(text).toMatch(/warning: the history holds only \d+ of the 1000 records/);
  });

  it("prints a clear error and the usage, and returns 2, on bad arguments", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    expect(await main(["--days=-1", "--out", "x"])).toBe(2);
    const text = stderr.mock.calls.map((c) => String(c[0])).join("");
    expect(text).toContain("write-history: --days must be greater than 0");
    expect(text).toContain("usage: write-history");
  });

  it("rejects an unwritable output path", async () => {
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    await expect(
      main(["--days", "1", "--out", "/nonexistent-dir/deeper/h.ndjson"]),
    ).rejects.toThrow(/ENOENT/);
  });
});
