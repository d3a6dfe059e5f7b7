import { readFileSync } from "node:fs";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { expect, it } from "vitest";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import type { Store } from "../../src/store/store.js";
import { describeDialect } from "../store/describe-dialect.js";
import { DIALECTS } from "../store/dialects.js";
import { type FuzzRequest, hostileRequest } from "../support/hostile-requests.js";
import { testServer } from "../support/test-server.js";

const SLOS = parseSloSpecs(readFileSync("test/fixtures/slos.yaml", "utf8"), "slos.yaml").slos;
const FIXTURE = readFileSync("test/fixtures/attempts.ndjson", "utf8");
/** Requests per seed; two seeds (a fixed one and a random one) per store. */
const RUNS = 5_000;
const FIXED_SEED = 20261203;
const HANG_MS = 10_000;

/** Every stored attempt, as the store returns it. */
async function snapshot(store: Store): Promise<string> {
  const page = await store.listAttempts({}, { limit: 1000 });
  expect(page.nextCursor).toBeNull();
  return JSON.stringify(page.attempts);
}

async function send(app: FastifyInstance, request: FuzzRequest) {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    return await Promise.race([app.inject(request), hang]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Property: whatever a client sends, the answer comes, is not a 5xx, an error is a problem
 * document, and a rejected write leaves the stored attempts as they were.
 */
async function fuzz(app: FastifyInstance, store: Store, seed: number): Promise<void> {
  let stored = await snapshot(store);
  let count = 0;
  try {
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (request) => {
        count++;
        const res = await send(app, request);
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(res.headers["content-type"]).toContain("application/problem+json");
        }
        if (request.method !== "GET") {
          if (res.statusCode >= 400) expect(await snapshot(store)).toBe(stored);
          else stored = await snapshot(store);
        }
      }),
      { seed, numRuns: RUNS, endOnFailure: true },
    );
  } catch (error) {
    // fast-check's message has the counterexample; the seed reruns it.
    const cause = error instanceof Error && error.cause !== undefined ? `\n${error.cause}` : "";
    throw new Error(
      `API fuzz failed with seed ${seed} (rerun: FUZZ_SEED=${seed})\n${error}${cause}`,
    );
  }
  expect(count).toBe(RUNS);
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (context) => {
    it(`answers ${2 * RUNS} generated requests on every endpoint without a 5xx or a hang`, {
      timeout: 300_000,
    }, async () => {
      const store = await context.open();
      const { app } = await testServer(store, SLOS);
      try {
        const seeded = await app.inject({
          method: "POST",
          url: "/api/v1/attempts",
          headers: { "content-type": "application/x-ndjson" },
          payload: FIXTURE,
        });
        expect(seeded.statusCode).toBe(200);
        const random = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
        await fuzz(app, store, FIXED_SEED);
        await fuzz(app, store, random);
      } finally {
        await app.close();
      }
    });
  });
}
