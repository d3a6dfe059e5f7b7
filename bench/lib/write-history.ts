/**
 * Writes a generated deployment-attempt history as NDJSON (one record per line), streaming with
 * back-pressure so that millions of records never sit in memory.
 *
 *   node bench/dist/bench/lib/write-history.js --seed 42 --days 60 --start 2026-09-01T00:00:00Z \
 *     [--attempts-per-day N] [--plain] [--in-progress-at-end] [--count N] --out FILE
 *
 * `--out -` writes to stdout. `--count N` stops after N records; when it is given without
 * `--attempts-per-day`, the arrival rate is raised so that `--days` (default 60) holds at least
 * N records. Bad arguments print a message and the usage to stderr and exit with status 2.
 */

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import process from "node:process";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  DEFAULT_ATTEMPTS_PER_DAY,
  generateHistoryLines,
  type HistoryOptions,
} from "../../src/sample/generate-history.js";

export const USAGE = `usage: write-history --out FILE [options]

  --out FILE               output NDJSON file ("-" for stdout)          (required)
  --seed N                 integer seed                                  (default 42)
  --start ISO              history start, e.g. 2026-09-01T00:00:00Z     (default 2026-09-01T00:00:00Z)
  --days N                 history length in days                        (default 60)
  --attempts-per-day N     average attempts per day                      (default ${DEFAULT_ATTEMPTS_PER_DAY}, or enough for --count)
  --count N                stop after N records
  --plain                  omit stages and dependencies
  --in-progress-at-end     cut the history as a live snapshot at its end
  --no-degradation         leave out the registry slowdown episode
  --help                   show this help`;

export class UsageError extends Error {
  override name = "UsageError";
}

export interface WriteHistoryArgs {
  out: string;
  count: number | undefined;
  history: HistoryOptions;
}

const DEFAULT_START = "2026-09-01T00:00:00Z";
const DEFAULT_DAYS = 60;
/** Slack on the arrival rate so that a capped run reliably reaches `--count`. */
const COUNT_HEADROOM = 1.25;
/** Lines are written in chunks of about this many characters. */
const CHUNK_SIZE = 256 * 1024;

/** Parses command-line arguments (without the node and script paths). Throws `UsageError`. */
export function parseWriteHistoryArgs(argv: readonly string[]): WriteHistoryArgs | "help" {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return "help";
  if (values.out === undefined || values.out === "") throw new UsageError("--out is required");

  const seed = parseNumber("--seed", values.seed ?? "42", { integer: true });
  const startText = values.start ?? DEFAULT_START;
  const start = Date.parse(startText);
  if (!/^\d{4}-\d{2}-\d{2}/.test(startText) || Number.isNaN(start)) {
    throw new UsageError(`--start must be an ISO 8601 date-time, got "${startText}"`);
  }
  const days = parseNumber("--days", values.days ?? String(DEFAULT_DAYS), { positive: true });
  const count =
    values.count === undefined
      ? undefined
      : parseNumber("--count", values.count, { integer: true, positive: true });
  let attemptsPerDay =
    values["attempts-per-day"] === undefined
      ? undefined
      : parseNumber("--attempts-per-day", values["attempts-per-day"], { positive: true });
  if (attemptsPerDay === undefined && count !== undefined) {
    attemptsPerDay = Math.max(DEFAULT_ATTEMPTS_PER_DAY, Math.ceil((count * COUNT_HEADROOM) / days));
  }

  const history: HistoryOptions = {
    seed,
    start,
    days,
    withStages: values.plain !== true,
    inProgressAtEnd: values["in-progress-at-end"] === true,
    ...(values["no-degradation"] === true ? { degradation: false as const } : {}),
    ...(attemptsPerDay === undefined ? {} : { attemptsPerDay }),
  };
  return { out: values.out, count, history };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      out: { type: "string", short: "o" },
      seed: { type: "string" },
      start: { type: "string" },
      days: { type: "string" },
      "attempts-per-day": { type: "string" },
      count: { type: "string" },
      plain: { type: "boolean" },
      "in-progress-at-end": { type: "boolean" },
      "no-degradation": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function parseNumber(
  flag: string,
  text: string,
  rules: { integer?: boolean; positive?: boolean },
): number {
  const value = text.trim() === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new UsageError(`${flag} must be a number, got "${text}"`);
  if (rules.integer === true && !Number.isSafeInteger(value)) {
    throw new UsageError(`${flag} must be an integer, got "${text}"`);
  }
  if (rules.positive === true && value <= 0) {
    throw new UsageError(`${flag} must be greater than 0, got "${text}"`);
  }
  return value;
}

/**
 * Streams the history to `stream` as NDJSON, honouring back-pressure (lines are batched into
 * chunks of about 256 KiB). Resolves with the number of records written; does not end `stream`.
 */
export async function writeHistory(
  stream: Writable,
  history: HistoryOptions,
  count?: number,
): Promise<number> {
  const limit = count ?? Number.POSITIVE_INFINITY;
  let written = 0;
  let lines: string[] = [];
  let size = 0;
  for (const line of generateHistoryLines(history)) {
    if (written >= limit) break;
    lines.push(line);
    size += line.length + 1;
    written += 1;
    if (size >= CHUNK_SIZE) {
      await write(stream, `${lines.join("\n")}\n`);
      lines = [];
      size = 0;
    }
  }
  if (lines.length > 0) await write(stream, `${lines.join("\n")}\n`);
  return written;
}

async function write(stream: Writable, chunk: string): Promise<void> {
  if (stream.errored) throw stream.errored;
  // `once` rejects if the stream emits "error" while we wait for "drain".
  if (!stream.write(chunk)) await once(stream, "drain");
}

/** CLI entry point; returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  let args: WriteHistoryArgs | "help";
  try {
    args = parseWriteHistoryArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`write-history: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let written: number;
  if (args.out === "-") {
    written = await writeHistory(process.stdout, args.history, args.count);
  } else {
    const stream = createWriteStream(args.out);
    // Errors surface through `stream.errored`, `once` and `finished`; keep them from crashing.
    stream.on("error", () => {});
    written = await writeHistory(stream, args.history, args.count);
    stream.end();
    await finished(stream);
  }
  const where = args.out === "-" ? "stdout" : args.out;
  process.stderr.write(`write-history: wrote ${written} records to ${where}\n`);
  if (args.count !== undefined && written < args.count) {
    // E.g. a one-day history that falls on a quiet weekend day.
    process.stderr.write(
      `write-history: warning: the history holds only ${written} of the ${args.count} records asked for; raise --days or --attempts-per-day\n`,
    );
  }
  return 0;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(
        `write-history: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
