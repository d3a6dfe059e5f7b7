import { rm, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { unreadable } from "../config/unreadable.js";
import { attemptToRecordJson } from "../core/attempt/attempt-to-record-json.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { plural } from "../core/primitives/plural.js";
import type { RetryPolicy } from "../core/primitives/retry-policy.js";
import {
  describeInvalid,
  type InvalidRecord,
  MAX_REPORTED_INVALID,
} from "../ingest/invalid-record.js";
import { readAttemptFile } from "../ingest/read-attempt-file.js";
import { type ApiClient, ApiError, errorCodeFor, type IngestResult } from "./api-client.js";
import {
  defaultResumeFile,
  RESUME_FORMAT,
  type ResumeState,
  readResumeState,
  resumePoint,
  writeResumeState,
} from "./push-resume-state.js";
import { withRetries } from "./with-retries.js";

export const DEFAULT_BATCH_SIZE = 1000;
/** The server's limit per request (MAX_RECORDS_PER_REQUEST). */
export const MAX_BATCH_SIZE = 10_000;
/** Under the server's default 16 MiB body limit, with room to spare. */
export const MAX_BATCH_BYTES = 15 * 1024 * 1024;

/** Batch boundaries [start, end) over `lines` from `from`: at most `size` records and maxBytes. */
export function planBatches(
  lines: readonly string[],
  from: number,
  size: number,
  maxBytes = MAX_BATCH_BYTES,
): Array<readonly [number, number]> {
  const batches: Array<readonly [number, number]> = [];
  let start = from;
  let bytes = 0;
  for (let i = from; i < lines.length; i++) {
    const length = Buffer.byteLength(lines[i] ?? "") + 1;
    if (i > start && (i - start >= size || bytes + length > maxBytes)) {
      batches.push([start, i]);
      start = i;
      bytes = 0;
    }
    bytes += length;
  }
  if (start < lines.length) batches.push([start, lines.length]);
  return batches;
}

export interface PushOptions {
  readonly files: readonly string[];
  readonly batchSize: number;
  readonly skipInvalid: boolean;
  /** One progress file for every input; default: `<FILE>.deployslo-push` beside each. */
  readonly resumeFile?: string | undefined;
  readonly retry: RetryPolicy;
  /** For tests: batches are also cut at this many bytes. */
  readonly maxBatchBytes?: number;
}

export interface PushContext {
  readonly client: Pick<ApiClient, "baseUrl" | "postAttempts">;
  /** The clock, epoch ms. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly onEvent: (event: PushEvent) => void;
}

export type PushEvent =
  | {
      readonly type: "read";
      readonly files: number;
      readonly records: number;
      readonly invalid: number;
      /** Up to MAX_REPORTED_INVALID; with skipInvalid only (otherwise push fails). */
      readonly invalidRecords: readonly InvalidRecord[];
    }
  | {
      readonly type: "resume";
      readonly file: string;
      readonly resumeFile: string;
      readonly skip: number;
      readonly records: number;
    }
  | {
      readonly type: "restart";
      readonly file: string;
      readonly resumeFile: string;
      readonly reason: string;
    }
  | { readonly type: "warning"; readonly message: string }
  | {
      readonly type: "start";
      /** Valid records in all files, those acknowledged by an earlier run included. */
      readonly total: number;
      readonly skipped: number;
      readonly batches: number;
    }
  | {
      readonly type: "batch";
      readonly file: string;
      readonly batch: number;
      readonly records: number;
      /** Records acknowledged so far, the skipped ones included. */
      readonly done: number;
      readonly total: number;
      readonly result: IngestResult;
    }
  | {
      readonly type: "retry";
      readonly file: string;
      readonly batch: number;
      readonly try: number;
      readonly tries: number;
      readonly delayMs: number;
      readonly error: ApiError;
    }
  | {
      readonly type: "file-done";
      readonly file: string;
      readonly records: number;
      readonly batches: number;
    };

export interface PushSummary {
  /** Valid records in all files. */
  readonly records: number;
  readonly invalid: number;
  /** Sent and acknowledged by this run. */
  readonly sent: number;
  /** Acknowledged by an earlier run, so not sent again. */
  readonly skipped: number;
  readonly inserted: number;
  readonly updated: number;
  readonly batches: number;
  readonly elapsedMs: number;
}

interface InputFile {
  readonly file: string;
  readonly path: string;
  readonly lines: readonly string[];
  readonly version: { size: number; mtimeMs: number } | undefined;
  readonly resumeFile: string | undefined;
  skip: number;
  acknowledged: number;
}

interface ResumeGroup {
  readonly path: string;
  readonly files: InputFile[];
  writable: boolean;
  written: boolean;
}

async function readInputs(options: PushOptions, onInvalid: (record: InvalidRecord) => void) {
  const inputs: InputFile[] = [];
  let records = 0;
  let invalid = 0;
  for (const file of options.files) {
    let version: InputFile["version"];
    if (file !== "-") {
      try {
        const info = await stat(file);
        version = { size: info.size, mtimeMs: info.mtimeMs };
      } catch (error) {
        throw unreadable(file, error);
      }
    }
    const lines: string[] = [];
    const stats = await readAttemptFile(
      file,
      (attempt) => lines.push(JSON.stringify(attemptToRecordJson(attempt))),
      onInvalid,
    );
    records += stats.records;
    invalid += stats.invalid;
    const resumeFile = file === "-" ? undefined : (options.resumeFile ?? defaultResumeFile(file));
    inputs.push({
      file,
      path: resolve(file),
      lines,
      version,
      resumeFile,
      skip: 0,
      acknowledged: 0,
    });
  }
  return { inputs, records, invalid };
}

function checkFiles(options: PushOptions): void {
  const seen = new Set<string>();
  for (const file of options.files) {
    const key = file === "-" ? "-" : resolve(file);
    if (seen.has(key)) throw new DeploysloError("USAGE", `${file} is named twice`);
    seen.add(key);
    if (options.resumeFile !== undefined && file !== "-" && key === resolve(options.resumeFile)) {
      throw new DeploysloError("USAGE", `--resume-file ${options.resumeFile} is an input file`);
    }
  }
}

function stateOf(group: ResumeGroup, server: string): ResumeState {
  return {
    format: RESUME_FORMAT,
    server,
    files: group.files.map((input) => ({
      path: input.path,
      size: input.version?.size ?? 0,
      mtimeMs: input.version?.mtimeMs ?? 0,
      records: input.lines.length,
      acknowledged: input.acknowledged,
    })),
  };
}

/** Decides, per progress file, where each input starts; groups inputs by progress file. */
async function planResume(
  inputs: readonly InputFile[],
  server: string,
  onEvent: PushContext["onEvent"],
): Promise<ResumeGroup[]> {
  const groups = new Map<string, ResumeGroup>();
  const states = new Map<string, ResumeState | undefined>();
  for (const input of inputs) {
    if (input.resumeFile === undefined || input.version === undefined) continue;
    const path = input.resumeFile;
    if (!states.has(path)) states.set(path, await readResumeState(path));
    const state = states.get(path);
    let group = groups.get(path);
    if (group === undefined) {
      group = { path, files: [], writable: true, written: state !== undefined };
      groups.set(path, group);
    }
    group.files.push(input);
    const entry = state?.files.find((candidate) => candidate.path === input.path);
    if (state === undefined || entry === undefined) continue;
    if (state.server !== server) {
      onEvent({
        type: "restart",
        file: input.file,
        resumeFile: path,
        reason: `its progress is for another server (${state.server})`,
      });
      continue;
    }
    const point = resumePoint(entry, { ...input.version, records: input.lines.length });
    if (point.restart !== undefined) {
      onEvent({ type: "restart", file: input.file, resumeFile: path, reason: point.restart });
      continue;
    }
    input.skip = point.skip;
    input.acknowledged = point.skip;
    if (point.skip > 0) {
      onEvent({
        type: "resume",
        file: input.file,
        resumeFile: path,
        skip: point.skip,
        records: input.lines.length,
      });
    }
  }
  return [...groups.values()];
}

/** Reads and validates every file; throws when a record is invalid, unless skipInvalid. */
async function readValid(options: PushOptions, onEvent: PushContext["onEvent"]) {
  checkFiles(options);
  const invalidRecords: InvalidRecord[] = [];
  const read = await readInputs(options, (record) => {
    if (invalidRecords.length < MAX_REPORTED_INVALID) invalidRecords.push(record);
  });
  const { inputs, records, invalid } = read;
  if (invalid > 0 && !options.skipInvalid) {
    const details = invalidRecords.flatMap(describeInvalid);
    if (invalid > invalidRecords.length)
      details.push(`… and ${invalid - invalidRecords.length} more invalid records`);
    details.push("Fix them, or pass --skip-invalid to send the valid records only.");
    throw new DeploysloError(
      "RECORD_INVALID",
      `${invalid} of ${plural(records, "record")} invalid; nothing was sent`,
      details,
    );
  }
  onEvent({ type: "read", files: inputs.length, records, invalid, invalidRecords });
  if (options.resumeFile !== undefined && inputs.some((input) => input.file === "-")) {
    onEvent({ type: "warning", message: "standard input cannot be resumed; it is sent whole" });
  }
  return read;
}

/** Records how far the group's files got; a progress file that cannot be written is a warning. */
async function saveProgress(group: ResumeGroup, context: PushContext): Promise<void> {
  if (!group.writable) return;
  try {
    await writeResumeState(group.path, stateOf(group, context.client.baseUrl));
    group.written = true;
  } catch (error) {
    group.writable = false;
    context.onEvent({
      type: "warning",
      message: `cannot write progress to ${group.path} (${(error as Error).message}); the push goes on but cannot be resumed: pass --resume-file PATH`,
    });
  }
}

/** Removes the group's progress file once every one of its files is acknowledged. */
async function finishGroup(group: ResumeGroup, context: PushContext): Promise<void> {
  if (!group.files.every((input) => input.acknowledged === input.lines.length)) return;
  if (!group.written) return;
  try {
    await rm(group.path, { force: true });
    group.written = false;
  } catch (error) {
    context.onEvent({
      type: "warning",
      message: `cannot remove ${group.path}: ${(error as Error).message}`,
    });
  }
}

interface SendProgress {
  done: number;
  sent: number;
  inserted: number;
  updated: number;
  batches: number;
  readonly total: number;
}

/** Sends one file's planned batches, retrying transient failures, saving progress after each. */
async function sendFile(
  input: InputFile,
  plan: readonly (readonly [number, number])[],
  progress: SendProgress,
  options: PushOptions,
  context: PushContext & { groups: readonly ResumeGroup[]; group: ResumeGroup | undefined },
): Promise<void> {
  const { client, onEvent } = context;
  let fileBatches = 0;
  for (const [start, end] of plan) {
    const batch = progress.batches + 1;
    const body = `${input.lines.slice(start, end).join("\n")}\n`;
    let result: IngestResult;
    try {
      result = await withRetries(() => client.postAttempts(body), options.retry, {
        sleep: context.sleep,
        random: context.random,
        onRetry: (info) => onEvent({ type: "retry", file: input.file, batch, ...info }),
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      throw pushFailure(error, {
        client,
        input,
        start,
        end,
        batch,
        tries: options.retry.maxAttempts,
        done: progress.done,
        total: progress.total,
        resumeFiles: context.groups.filter((g) => g.written).map((g) => g.path),
      });
    }
    progress.batches = batch;
    fileBatches++;
    const count = end - start;
    input.acknowledged = end;
    progress.done += count;
    progress.sent += count;
    progress.inserted += result.inserted;
    progress.updated += result.updated;
    if (context.group !== undefined) await saveProgress(context.group, context);
    const { done, total } = progress;
    onEvent({ type: "batch", file: input.file, batch, records: count, done, total, result });
  }
  if (context.group !== undefined) await finishGroup(context.group, context);
  onEvent({
    type: "file-done",
    file: input.file,
    records: input.lines.length,
    batches: fileBatches,
  });
}

/**
 * The `push` use case: read and validate every file first (nothing is sent when a record is
 * invalid, unless skipInvalid), then send the valid records as NDJSON batches, retrying
 * transient failures, and record after each acknowledged batch how far each file got, so
 * that running it again sends only the rest. The server upserts by id, so sending a record
 * twice is harmless: the progress file saves time, not correctness.
 */
export async function pushAttempts(
  options: PushOptions,
  context: PushContext,
): Promise<PushSummary> {
  const started = context.now();
  const { client, onEvent } = context;
  const { inputs, invalid } = await readValid(options, onEvent);
  const groups = await planResume(inputs, client.baseUrl, onEvent);
  const groupOf = new Map<InputFile, ResumeGroup>();
  for (const group of groups) for (const input of group.files) groupOf.set(input, group);
  const maxBytes = options.maxBatchBytes ?? MAX_BATCH_BYTES;
  const plans = inputs.map((input) =>
    planBatches(input.lines, input.skip, options.batchSize, maxBytes),
  );
  const total = inputs.reduce((sum, input) => sum + input.lines.length, 0);
  const skipped = inputs.reduce((sum, input) => sum + input.skip, 0);
  onEvent({
    type: "start",
    total,
    skipped,
    batches: plans.reduce((sum, plan) => sum + plan.length, 0),
  });
  const progress: SendProgress = {
    done: skipped,
    sent: 0,
    inserted: 0,
    updated: 0,
    batches: 0,
    total,
  };
  for (const [i, input] of inputs.entries())
    await sendFile(input, plans[i] ?? [], progress, options, {
      ...context,
      groups,
      group: groupOf.get(input),
    });
  return {
    records: total,
    invalid,
    sent: progress.sent,
    skipped,
    inserted: progress.inserted,
    updated: progress.updated,
    batches: progress.batches,
    elapsedMs: context.now() - started,
  };
}

function pushFailure(
  error: ApiError,
  at: {
    client: PushContext["client"];
    input: InputFile;
    start: number;
    end: number;
    batch: number;
    tries: number;
    done: number;
    total: number;
    resumeFiles: readonly string[];
  },
): DeploysloError {
  const where = `batch ${at.batch} (records ${at.start + 1}–${at.end} of ${at.input.file})`;
  const gaveUp = `gave up on ${where} after ${plural(at.tries, "try", "tries")}`;
  const details: string[] = [];
  let message: string;
  if (error.status === null) {
    message = `cannot reach the deployslo server at ${at.client.baseUrl}: ${error.detail}; ${gaveUp}`;
  } else if (error.transient) {
    message = `the deployslo server at ${at.client.baseUrl} kept answering ${error.message}; ${gaveUp}`;
  } else {
    message = `the server rejected ${where}: ${error.message}`;
    details.push(...error.errors.map((line) => `server: ${line}`));
    if (/^line \d+:/.test(error.errors[0] ?? "")) {
      details.push(
        `(the server's line N is record ${at.start}+N of the valid records of ${at.input.file})`,
      );
    }
    if (error.status === 401 || error.status === 403)
      details.push("Pass --token TOKEN or set DEPLOYSLO_TOKEN: a token with the ingest role.");
    if (error.status === 413) details.push("Pass a smaller --batch-size.");
  }
  details.push(
    at.done === 0
      ? "No record was stored by this push."
      : `${at.done} of ${plural(at.total, "record")} were stored before this.`,
  );
  if (at.resumeFiles.length > 0) {
    details.push(
      `Progress is in ${at.resumeFiles.join(", ")}: run the same command again to send the rest.`,
    );
  }
  return new DeploysloError(errorCodeFor(error, "RECORD_INVALID"), message, details);
}
