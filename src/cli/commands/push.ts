import { Command } from "commander";
import { DEFAULT_TIMEOUT_MS } from "../../client/api-client.js";
import {
  DEFAULT_BATCH_SIZE,
  MAX_BATCH_SIZE,
  type PushEvent,
  pushAttempts,
} from "../../client/push-attempts.js";
import { DEFAULT_RETRY } from "../../client/with-retries.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { plural } from "../../core/primitives/plural.js";
import { describeInvalid } from "../../services/evaluate-slo-files.js";
import { apiClientFor } from "../api-client-for.js";
import type { CliIo } from "../cli-io.js";
import { integerOption } from "../integer-option.js";
import { ProgressBar } from "../progress-bar.js";
import { formatSeconds } from "../render-table.js";

interface PushOptions {
  server?: string;
  token?: string;
  batchSize: string;
  resumeFile?: string;
  skipInvalid?: boolean;
  retries: string;
  retryDelay: string;
  timeout: string;
}

/** Without a terminal, a progress line at most this often. */
const PLAIN_PROGRESS_MS = 10_000;

/** An integer option within [min, max], or a USAGE error naming the option. */
function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : formatSeconds(ms / 1000);
}

/** Turns the use case's events into stderr lines, or a progress bar on a terminal. */
function reporter(io: CliIo) {
  let bar: ProgressBar | undefined;
  let lastLine = io.now();
  const line = (text: string) => {
    if (bar === undefined) io.stderr.write(`${text}\n`);
    else bar.log(text);
  };
  const onEvent = (event: PushEvent): void => {
    switch (event.type) {
      case "read": {
        if (event.invalid === 0) return;
        for (const record of event.invalidRecords)
          for (const text of describeInvalid(record)) line(text);
        const more = event.invalid - event.invalidRecords.length;
        if (more > 0) line(`… and ${more} more invalid records`);
        line(`deployslo: skipped ${event.invalid} invalid of ${plural(event.records, "record")}`);
        return;
      }
      case "resume":
        line(
          `deployslo: resuming ${event.file}: ${event.skip} of ${plural(event.records, "record")} were acknowledged by an earlier push (progress in ${event.resumeFile})`,
        );
        return;
      case "restart":
        line(
          `deployslo: ${event.file}: starting over, as ${event.reason} (${event.resumeFile}); sending records again is harmless, the server upserts by id`,
        );
        return;
      case "warning":
        line(`deployslo: warning: ${event.message}`);
        return;
      case "start": {
        const left = event.total - event.skipped;
        if (left === 0) return;
        if (io.stderr.isTTY === true) {
          bar = new ProgressBar({
            write: (text) => io.stderr.write(text),
            now: () => io.now(),
            total: event.total,
            start: event.skipped,
          });
          bar.update(event.skipped);
        } else {
          line(
            `deployslo: sending ${plural(left, "record")} in ${plural(event.batches, "batch", "batches")}`,
          );
        }
        lastLine = io.now();
        return;
      }
      case "batch":
        if (bar !== undefined) bar.update(event.done);
        else if (io.now() - lastLine >= PLAIN_PROGRESS_MS) {
          const percent = Math.floor((event.done / event.total) * 100);
          line(
            `deployslo: ${event.done}/${plural(event.total, "record")} acknowledged (${percent}%)`,
          );
          lastLine = io.now();
        }
        return;
      case "retry":
        line(
          `deployslo: batch ${event.batch} (${event.file}) failed: ${event.error.message}; try ${event.try} of ${event.tries} in ${duration(event.delayMs)}`,
        );
        return;
      case "file-done":
        if (event.batches > 0)
          line(
            `deployslo: ${event.file}: ${plural(event.records, "record")} acknowledged (${plural(event.batches, "batch", "batches")} this run)`,
          );
        return;
    }
  };
  return {
    onEvent,
    finish: () => bar?.finish(),
    clear: () => bar?.clear(),
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function pushCommand(io: CliIo): Command {
  return new Command("push")
    .description("Send attempt records from files to a deployslo server, in resumable batches")
    .argument("<file...>", "attempt records: NDJSON, JSON array or CSV; - for stdin")
    .option("-s, --server <url>", "the deployslo server, e.g. http://127.0.0.1:8080")
    .option("--token <token>", "API token with the ingest role (default: $DEPLOYSLO_TOKEN)")
    .option(
      "--batch-size <n>",
      `records per request, 1 to ${MAX_BATCH_SIZE}`,
      String(DEFAULT_BATCH_SIZE),
    )
    .option(
      "--resume-file <path>",
      "where to keep the progress (default: <FILE>.deployslo-push beside each file)",
    )
    .option("--skip-invalid", "report invalid records on stderr and send the valid ones")
    .option(
      "--retries <n>",
      "retries of a batch after a network error, 429, 502, 503 or 504",
      String(DEFAULT_RETRY.tries - 1),
    )
    .option(
      "--retry-delay <ms>",
      "wait before the first retry (±50% jitter), doubled for each next one, at most 30s",
      String(DEFAULT_RETRY.baseDelayMs),
    )
    .option("--timeout <seconds>", "per request", String(DEFAULT_TIMEOUT_MS / 1000))
    .action(async (files: string[], options: PushOptions) => {
      if (options.server === undefined)
        throw new DeploysloError("USAGE", "push needs --server URL (the deployslo server)");
      const batchSize = integerOption("--batch-size", options.batchSize, 1, MAX_BATCH_SIZE);
      const retries = integerOption("--retries", options.retries, 0, 20);
      const baseDelayMs = integerOption("--retry-delay", options.retryDelay, 0, 600_000);
      const timeout = integerOption("--timeout", options.timeout, 1, 3600);
      const client = apiClientFor(options.server, options.token, timeout, io);
      const report = reporter(io);
      let summary: Awaited<ReturnType<typeof pushAttempts>>;
      try {
        summary = await pushAttempts(
          {
            files,
            batchSize,
            skipInvalid: options.skipInvalid === true,
            resumeFile: options.resumeFile,
            retry: {
              tries: retries + 1,
              baseDelayMs,
              maxDelayMs: Math.max(baseDelayMs, DEFAULT_RETRY.maxDelayMs),
            },
          },
          { client, now: () => io.now(), sleep, random: Math.random, onEvent: report.onEvent },
        );
      } catch (error) {
        report.clear();
        throw error;
      }
      report.finish();
      const { records, sent, skipped, inserted, updated, batches, elapsedMs } = summary;
      if (records === 0) {
        io.stdout.write(`nothing to push: no valid records in ${files.join(", ")}\n`);
        return;
      }
      if (sent === 0) {
        io.stdout.write(
          `nothing left to push: all ${plural(records, "record")} were acknowledged by an earlier push\n`,
        );
        return;
      }
      const earlier =
        skipped > 0 ? `; ${skipped} acknowledged by an earlier push not sent again` : "";
      io.stdout.write(
        `pushed ${plural(sent, "record")} to ${client.baseUrl} in ${plural(batches, "batch", "batches")}: ${inserted} inserted, ${updated} updated, in ${duration(elapsedMs)}${earlier}\n`,
      );
    });
}
