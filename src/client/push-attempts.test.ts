import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { RetryPolicy } from "../core/primitives/retry-policy.js";
import { ApiError, type IngestResult } from "./api-client.js";
import { type PushEvent, type PushOptions, planBatches, pushAttempts } from "./push-attempts.js";
import { readResumeState, resumePoint, writeResumeState } from "./push-resume-state.js";
import { withRetries } from "./with-retries.js";

const POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };
const unavailable = () =>
  new ApiError({ status: 503, code: "STORE_UNAVAILABLE", detail: "database busy" });

/** A sleep that only records how long it was asked to wait. */
function fakeSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe("withRetries", () => {
  it("retries transient failures on the backoff schedule, then returns the answer", async () => {
    const { waits, sleep } = fakeSleep();
    const tries: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls < 4)
          throw calls === 2 ? new ApiError({ status: null, detail: "reset" }) : unavailable();
        return "ok";
      },
      POLICY,
      { sleep, random: () => 1, onRetry: (info) => tries.push(info.try) },
    );
    expect(result).toBe("ok");
    expect(calls).toBe(4);
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(tries).toEqual([2, 3, 4]);
  });

  it("gives up after policy.maxAttempts tries and throws the last error", async () => {
    const { waits, sleep } = fakeSleep();
    let calls = 0;
    const failing = withRetries(
      async () => {
        calls++;
        throw unavailable();
      },
      POLICY,
      { sleep, random: () => 0 },
    );
    await expect(failing).rejects.toMatchObject({ status: 503 });
    expect(calls).toBe(5);
    expect(waits).toEqual([500, 1000, 2000, 4000]);
  });

  it("does not retry a 4xx, a 500, or an error that is not an ApiError", async () => {
    for (const error of [
      new ApiError({ status: 400, code: "RECORD_INVALID", detail: "bad" }),
      new ApiError({ status: 500, code: "INTERNAL", detail: "bug" }),
      new Error("bug here"),
    ]) {
      const { waits, sleep } = fakeSleep();
      let calls = 0;
      await expect(
        withRetries(
          async () => {
            calls++;
            throw error;
          },
          POLICY,
          { sleep, random: () => 0 },
        ),
      ).rejects.toBe(error);
      expect(calls).toBe(1);
      expect(waits).toEqual([]);
    }
  });

  it("honours Retry-After on a 429, capped at maxDelayMs", async () => {
    const { waits, sleep } = fakeSleep();
    let calls = 0;
    await withRetries(
      async () => {
        calls++;
        if (calls === 1)
          throw new ApiError({ status: 429, detail: "slow down", retryAfterMs: 7000 });
        if (calls === 2)
          throw new ApiError({ status: 429, detail: "slow down", retryAfterMs: 3_600_000 });
        return "ok";
      },
      POLICY,
      { sleep, random: () => 0 },
    );
    expect(waits).toEqual([7000, 30_000]);
  });

  it("with one try, never retries", async () => {
    const { waits, sleep } = fakeSleep();
    await expect(
      withRetries(
        async () => {
          throw unavailable();
        },
        { ...POLICY, maxAttempts: 1 },
        { sleep, random: () => 0 },
      ),
    ).rejects.toMatchObject({ status: 503 });
    expect(waits).toEqual([]);
  });
});

describe("planBatches", () => {
  const lines = Array.from({ length: 10 }, (_, i) => `{"id":"r${i}"}`);

  it("cuts batches of at most `size` records from `from`", () => {
    expect(planBatches(lines, 0, 4)).toEqual([
      [0, 4],
      [4, 8],
      [8, 10],
    ]);
    expect(planBatches(lines, 7, 4)).toEqual([[7, 10]]);
    expect(planBatches(lines, 10, 4)).toEqual([]);
  });

  it("also cuts at maxBytes, but never sends an empty batch", () => {
    // Each line is 11 bytes with its newline.
    expect(planBatches(lines.slice(0, 5), 0, 100, 25)).toEqual([
      [0, 2],
      [2, 4],
      [4, 5],
    ]);
    expect(planBatches(lines.slice(0, 2), 0, 100, 5)).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });
});

describe("resumePoint", () => {
  const entry = { path: "/a", size: 100, mtimeMs: 5, records: 10, acknowledged: 4 };
  const same = { size: 100, mtimeMs: 5, records: 10 };

  it("skips what was acknowledged when the file is the same", () => {
    expect(resumePoint(entry, same)).toEqual({ skip: 4 });
    expect(resumePoint(undefined, same)).toEqual({ skip: 0 });
  });

  it("starts over when the file changed, or the progress does not fit it", () => {
    expect(resumePoint(entry, { ...same, size: 101 }).restart).toMatch(/changed/);
    expect(resumePoint(entry, { ...same, mtimeMs: 6 }).restart).toMatch(/changed/);
    expect(resumePoint(entry, { ...same, records: 9 }).skip).toBe(0);
    expect(resumePoint({ ...entry, acknowledged: 11 }, same).skip).toBe(0);
    expect(resumePoint({ ...entry, acknowledged: 1.5 }, same).skip).toBe(0);
  });
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "deployslo-push-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("resume files", () => {
  it("round-trip, and a missing one is undefined", async () => {
    const path = join(dir, "sub", "progress.json");
    expect(await readResumeState(path)).toBeUndefined();
    const state = {
      format: "deployslo-push/1" as const,
      server: "http://s/",
      files: [{ path: "/x", size: 1, mtimeMs: 1727776800123.456, records: 3, acknowledged: 2 }],
    };
    await writeResumeState(path, state);
    expect(await readResumeState(path)).toEqual(state);
    expect(existsSync(`${path}.tmp`)).toBe(false);
  });

  it("refuses to treat another file as one (it would be overwritten, then deleted)", async () => {
    const path = join(dir, "notes.txt");
    await writeFile(path, "my notes\n");
    await expect(readResumeState(path)).rejects.toMatchObject({ code: "USAGE" });
  });
});

const record = (i: number) =>
  JSON.stringify({
    id: `r${i}`,
    model: "fraud-detector",
    version: "1",
    environment: "production",
    startedAt: "2026-10-14T09:00:00Z",
    servingAt: "2026-10-14T09:01:00Z",
  });

async function writeRecords(name: string, count: number, extra = ""): Promise<string> {
  const path = join(dir, name);
  await writeFile(
    path,
    `${Array.from({ length: count }, (_, i) => record(i)).join("\n")}\n${extra}`,
  );
  return path;
}

/** A server stand-in: answers each POST with `answer(callNumber, ids)`. */
function fakeClient(answer: (call: number, ids: string[]) => IngestResult | ApiError) {
  const calls: string[][] = [];
  return {
    calls,
    client: {
      baseUrl: "http://server.test/",
      postAttempts: async (ndjson: string) => {
        const ids = ndjson
          .trim()
          .split("\n")
          .map((line) => (JSON.parse(line) as { id: string }).id);
        calls.push(ids);
        const result = answer(calls.length, ids);
        if (result instanceof ApiError) throw result;
        return result;
      },
    },
  };
}
const ok = (_call: number, ids: string[]): IngestResult => ({
  accepted: ids.length,
  inserted: ids.length,
  updated: 0,
});

function run(
  options: Partial<PushOptions> & { files: string[] },
  client: ReturnType<typeof fakeClient>["client"],
) {
  const events: PushEvent[] = [];
  const promise = pushAttempts(
    { batchSize: 3, skipInvalid: false, retry: { ...POLICY, maxAttempts: 2 }, ...options },
    {
      client,
      now: () => 0,
      sleep: async () => undefined,
      random: () => 0,
      onEvent: (e) => void events.push(e),
    },
  );
  return { events, promise };
}

describe("pushAttempts", () => {
  it("sends every record in batches and deletes its progress file when done", async () => {
    const file = await writeRecords("a.ndjson", 7);
    const server = fakeClient(ok);
    const { promise, events } = run({ files: [file] }, server.client);
    expect(await promise).toMatchObject({
      records: 7,
      sent: 7,
      skipped: 0,
      inserted: 7,
      batches: 3,
    });
    expect(server.calls.map((ids) => ids.length)).toEqual([3, 3, 1]);
    expect(events.filter((e) => e.type === "batch").map((e) => e.done)).toEqual([3, 6, 7]);
    expect(existsSync(`${file}.deployslo-push`)).toBe(false);
  });

  it("sends nothing when a record is invalid, and lists it as file:line", async () => {
    const file = await writeRecords("a.ndjson", 2, '{"id":"bad"}\n');
    const server = fakeClient(ok);
    const failure = await run({ files: [file] }, server.client).promise.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeploysloError);
    expect(failure).toMatchObject({
      code: "RECORD_INVALID",
      message: "1 of 3 records invalid; nothing was sent",
    });
    expect((failure as DeploysloError).details[0]).toBe(`${file}:3: model is required`);
    expect(server.calls).toEqual([]);
  });

  it("with skipInvalid, sends the valid records and reports the invalid ones", async () => {
    const file = await writeRecords("a.ndjson", 2, '{"id":"bad"}\n');
    const server = fakeClient(ok);
    const { promise, events } = run({ files: [file], skipInvalid: true }, server.client);
    expect(await promise).toMatchObject({ records: 2, invalid: 1, sent: 2 });
    expect(events[0]).toMatchObject({ type: "read", records: 3, invalid: 1 });
  });

  it("keeps progress when a batch fails, and a second run sends only the rest", async () => {
    const file = await writeRecords("a.ndjson", 10);
    const broken = fakeClient((call, ids) => (call >= 3 ? unavailable() : ok(call, ids)));
    const first = await run({ files: [file] }, broken.client).promise.catch((e: unknown) => e);
    expect(first).toMatchObject({ code: "STORE_UNAVAILABLE" });
    expect((first as DeploysloError).message).toMatch(
      /kept answering 503 .*; gave up on batch 3 \(records 7–9 .*\) after 2 tries$/,
    );
    expect(broken.calls.length).toBe(4); // two batches, then batch 3 tried twice
    const state = JSON.parse(await readFile(`${file}.deployslo-push`, "utf8"));
    expect(state).toMatchObject({
      server: "http://server.test/",
      files: [{ path: file, records: 10, acknowledged: 6 }],
    });

    const healthy = fakeClient(ok);
    const { promise, events } = run({ files: [file] }, healthy.client);
    expect(await promise).toMatchObject({ sent: 4, skipped: 6, batches: 2 });
    expect(healthy.calls).toEqual([["r6", "r7", "r8"], ["r9"]]);
    expect(events).toContainEqual(expect.objectContaining({ type: "resume", skip: 6 }));
    expect(existsSync(`${file}.deployslo-push`)).toBe(false);
  });

  it("starts over when the file changed since the interrupted push", async () => {
    const file = await writeRecords("a.ndjson", 6);
    const broken = fakeClient((call, ids) => (call >= 2 ? unavailable() : ok(call, ids)));
    await run({ files: [file] }, broken.client).promise.catch(() => undefined);
    expect(existsSync(`${file}.deployslo-push`)).toBe(true);
    await utimes(file, new Date(), new Date(Date.now() + 5000));

    const healthy = fakeClient(ok);
    const { promise, events } = run({ files: [file] }, healthy.client);
    expect(await promise).toMatchObject({ sent: 6, skipped: 0 });
    expect(events).toContainEqual(
      expect.objectContaining({ type: "restart", reason: expect.stringMatching(/changed/) }),
    );
  });

  it("starts over when the progress is for another server", async () => {
    const file = await writeRecords("a.ndjson", 6);
    const broken = fakeClient((call, ids) => (call >= 2 ? unavailable() : ok(call, ids)));
    await run({ files: [file] }, broken.client).promise.catch(() => undefined);
    const other = fakeClient(ok);
    const elsewhere = { ...other.client, baseUrl: "http://elsewhere.test/" };
    const { promise, events } = run({ files: [file] }, elsewhere);
    expect(await promise).toMatchObject({ sent: 6, skipped: 0 });
    expect(events).toContainEqual(expect.objectContaining({ type: "restart" }));
  });

  it("keeps the progress of several files in one --resume-file until all are done", async () => {
    const a = await writeRecords("a.ndjson", 4);
    const b = await writeRecords("b.ndjson", 4);
    const progress = join(dir, "progress.json");
    // a: batches 1-2; b: batch 3 succeeds, batch 4 fails.
    const broken = fakeClient((call, ids) => (call >= 4 ? unavailable() : ok(call, ids)));
    await run({ files: [a, b], resumeFile: progress }, broken.client).promise.catch(
      () => undefined,
    );
    const state = JSON.parse(await readFile(progress, "utf8"));
    expect(state.files).toMatchObject([
      { path: a, acknowledged: 4 },
      { path: b, acknowledged: 3 },
    ]);
    expect(existsSync(`${a}.deployslo-push`)).toBe(false);

    const healthy = fakeClient(ok);
    expect(
      await run({ files: [a, b], resumeFile: progress }, healthy.client).promise,
    ).toMatchObject({
      sent: 1,
      skipped: 7,
    });
    expect(healthy.calls).toEqual([["r3"]]);
    expect(existsSync(progress)).toBe(false);
  });

  it("stops at a rejected batch without retrying and names the batch and the server's errors", async () => {
    const file = await writeRecords("a.ndjson", 5);
    const server = fakeClient((call, ids) =>
      call === 2
        ? new ApiError({
            status: 400,
            code: "RECORD_INVALID",
            detail: "1 of 2 records invalid; nothing was stored",
            errors: ["line 1: model is unknown"],
          })
        : ok(call, ids),
    );
    const failure = (await run({ files: [file] }, server.client).promise.catch(
      (e: unknown) => e,
    )) as DeploysloError;
    expect(server.calls.length).toBe(2);
    expect(failure.code).toBe("RECORD_INVALID");
    expect(failure.message).toBe(
      `the server rejected batch 2 (records 4–5 of ${file}): 400 RECORD_INVALID: 1 of 2 records invalid; nothing was stored`,
    );
    expect(failure.details).toContain("server: line 1: model is unknown");
  });

  it("rejects a file named twice, and a progress file that is an input", async () => {
    const file = await writeRecords("a.ndjson", 1);
    const server = fakeClient(ok);
    await expect(run({ files: [file, file] }, server.client).promise).rejects.toMatchObject({
      code: "USAGE",
    });
    await expect(
      run({ files: [file], resumeFile: file }, server.client).promise,
    ).rejects.toMatchObject({ code: "USAGE" });
  });

  it("says when a file cannot be read", async () => {
    const server = fakeClient(ok);
    await expect(
      run({ files: [join(dir, "missing.ndjson")] }, server.client).promise,
    ).rejects.toMatchObject({ code: "INPUT_UNREADABLE" });
  });
});
