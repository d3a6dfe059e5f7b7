import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { generateHistoryLines } from "../sample/generate-history.js";
import { type AttemptBatchDecoder, attemptBatchDecoder } from "./attempt-batch-decoder.js";
import { decodeAttemptBatch } from "./decode-attempt-batch.js";

// Worker threads run JavaScript: the built worker (npm test builds before testing).
const BUILT_WORKER = new URL("../../dist/ingest/attempt-batch-worker.js", import.meta.url);

const lines = [
  ...generateHistoryLines({
    seed: 3,
    start: Date.parse("2026-10-01T00:00:00Z"),
    days: 2,
    attemptsPerDay: 300,
    withStages: true,
  }),
];
const body = () => Buffer.from(lines.join("\n"));

/** A stand-in worker script, for failures the real worker cannot be made to have. */
function fakeWorker(source: string): URL {
  const dir = mkdtempSync(join(tmpdir(), "deployslo-worker-"));
  const file = join(dir, "worker.mjs");
  writeFileSync(file, `import { parentPort } from "node:worker_threads";\n${source}\n`);
  return pathToFileURL(file);
}

let decoder: AttemptBatchDecoder | undefined;
afterEach(async () => {
  await decoder?.close();
  decoder = undefined;
});

describe("attemptBatchDecoder", () => {
  it("gives on worker threads exactly what decoding inline gives", async () => {
    decoder = attemptBatchDecoder({ workers: 2, workerUrl: BUILT_WORKER });
    expect(body().length).toBeGreaterThan(64 * 1024);
    const want = decodeAttemptBatch(body(), "ndjson");
    expect(want).toHaveLength(lines.length);
    const results = await Promise.all([1, 2, 3, 4].map(() => decoder?.decode(body(), "ndjson")));
    for (const result of results) expect(result).toEqual(want);
    const json = Buffer.from(`[${lines.join(",")}]`);
    expect(await decoder.decode(json, "json")).toEqual(want);
  });

  it("passes a rejection's code, message and problems through from the worker", async () => {
    decoder = attemptBatchDecoder({ workers: 1, workerUrl: BUILT_WORKER });
    const bad = Buffer.from([...lines, '{"id":"x"}'].join("\n"));
    const error = await decoder.decode(bad, "ndjson").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploysloError);
    expect(error).toMatchObject({
      code: "RECORD_INVALID",
      message: `1 of ${lines.length + 1} records invalid; nothing was stored`,
    });
    expect((error as DeploysloError).details[0]).toMatch(new RegExp(`^line ${lines.length + 1}: `));
  });

  it("moves a body that owns its memory, and copies a view into a larger buffer", async () => {
    decoder = attemptBatchDecoder({ workers: 1, workerUrl: BUILT_WORKER });
    const owned = new Uint8Array(body());
    const ownedCopy = Buffer.from(owned);
    expect(await decoder.decode(owned, "ndjson")).toEqual(decodeAttemptBatch(ownedCopy, "ndjson"));
    expect(owned.byteLength).toBe(0);
    const outer = Buffer.concat([Buffer.from("\n\n"), body()]);
    const view = outer.subarray(2);
    expect(await decoder.decode(view, "ndjson")).toHaveLength(lines.length);
    expect(view.byteLength).toBe(body().length);
    expect(outer.subarray(0, 2).toString()).toBe("\n\n");
  });

  it("decodes small bodies inline, and every body inline with no workers", async () => {
    // A worker that never answers: small bodies must not wait for it.
    decoder = attemptBatchDecoder({ workers: 1, workerUrl: fakeWorker("") });
    const small = Buffer.from(lines.slice(0, 3).join("\n"));
    expect(await decoder.decode(small, "ndjson")).toHaveLength(3);
    const inline = attemptBatchDecoder({ workers: 0 });
    expect(await inline.decode(body(), "ndjson")).toHaveLength(lines.length);
    await expect(inline.decode(Buffer.from("[]"), "json")).rejects.toMatchObject({
      code: "RECORD_INVALID",
    });
  });

  it("fails the bodies of a worker that dies, and starts a new one for the next", async () => {
    // The first worker dies at its first body; its replacement answers.
    const died = join(mkdtempSync(join(tmpdir(), "deployslo-died-")), "died");
    const url = fakeWorker(`
      import { existsSync, writeFileSync } from "node:fs";
      parentPort.on("message", (task) => {
        if (!existsSync(${JSON.stringify(died)})) {
          writeFileSync(${JSON.stringify(died)}, "");
          process.exit(3);
        }
        parentPort.postMessage({ id: task.id, attempts: [] });
      });`);
    decoder = attemptBatchDecoder({ workers: 1, workerUrl: url });
    await expect(decoder.decode(body(), "ndjson")).rejects.toThrow(/exited with code 3/);
    expect(await decoder.decode(body(), "ndjson")).toEqual([]);
  });

  it("reports a worker's unexpected error as a failure, not as the client's mistake", async () => {
    const url = fakeWorker(
      `parentPort.on("message", (task) => parentPort.postMessage({ id: task.id, failed: "Error: boom" }));`,
    );
    decoder = attemptBatchDecoder({ workers: 1, workerUrl: url });
    const error = await decoder.decode(body(), "ndjson").catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(DeploysloError);
    expect((error as Error).message).toMatch(/boom/);
  });

  it("rejects bodies still waiting when closed, and every body after", async () => {
    decoder = attemptBatchDecoder({ workers: 1, workerUrl: fakeWorker("") });
    const waiting = decoder.decode(body(), "ndjson").catch((error: unknown) => error);
    await decoder.close();
    expect(await waiting).toMatchObject({ code: "SHUTTING_DOWN" });
    await expect(decoder.decode(body(), "ndjson")).rejects.toMatchObject({
      code: "SHUTTING_DOWN",
    });
  });

  it("refuses a negative worker count and a missing worker script, saying what to do", () => {
    expect(() => attemptBatchDecoder({ workers: -1 })).toThrow(/whole number ≥ 0/);
    expect(() =>
      attemptBatchDecoder({ workers: 1, workerUrl: new URL("file:///nonexistent/worker.js") }),
    ).toThrow(/missing \(run npm run build\)/);
  });
});
