import { afterEach, expect, it } from "vitest";
import { describeDialect } from "../store/describe-dialect.js";
import { DIALECTS } from "../store/dialects.js";
import { call, pollUntil, spawnServer, stopAllServers } from "../support/spawn-server.js";

// kill -9 of `deployslo serve` while CI asks the gate loses no acknowledged audit entry: every
// answered decision is in the log after a restart, in order, and nothing else is.

const SPEC = "test/fixtures/slos.yaml";
const CLIENTS = 4;
const MIN_ACKED = 40;
const LOAD_MS = 1_000;

interface Entry {
  seq: number;
  version: string | null;
  decision: string;
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    afterEach(stopAllServers);

    it("keeps every acknowledged gate decision across kill -9", { timeout: 60_000 }, async () => {
      const serve = () =>
        spawnServer({ config: [SPEC], database: db.location(), args: ["--log-level", "warn"] });
      const first = await serve();
      const acked = new Map<number, string>();
      const unexpected: string[] = [];
      let stopping = false;
      let inFlight = 0;
      async function client(c: number): Promise<void> {
        for (let round = 0; round < 10_000 && !stopping; round++) {
          const version = `${c}-${round}`;
          inFlight++;
          try {
            const reply = await call(first.url, "POST", "/api/v1/gate", {
              model: "crash-model",
              environment: "production",
              version,
            });
            if (reply.status !== 200) {
              unexpected.push(`gate answered ${reply.status}: ${reply.text}`);
              return;
            }
            acked.set((reply.json as { auditSeq: number }).auditSeq, version);
          } catch (error) {
            if (!stopping) unexpected.push(`client ${c}: ${(error as Error).message}`);
            return;
          } finally {
            inFlight--;
          }
        }
      }
      const load = Array.from({ length: CLIENTS }, (_, c) => client(c));
      const begin = performance.now();
      try {
        await pollUntil(
          () => `${MIN_ACKED} acknowledged decisions (got ${acked.size}; ${unexpected.join("; ")})`,
          async () =>
            (performance.now() - begin >= LOAD_MS && acked.size >= MIN_ACKED) ||
            unexpected.length > 0 ||
            undefined,
          { timeoutMs: 15_000, intervalMs: 50 },
        );
      } finally {
        stopping = true;
      }
      const inFlightAtKill = inFlight;
      await first.stop("SIGKILL");
      await Promise.all(load);
      expect(unexpected, first.logs()).toEqual([]);
      expect(inFlightAtKill, "the kill came while requests were in flight").toBeGreaterThan(0);

      const second = await serve();
      const entries: Entry[] = [];
      let before: number | null = null;
      for (let page = 0; page < 100; page++) {
        const query: string = before === null ? "" : `&before=${before}`;
        const reply = await call(second.url, "GET", `/api/v1/audit?limit=1000${query}`);
        expect(reply.status, reply.text).toBe(200);
        const body = reply.json as { entries: Entry[]; nextBefore: number | null };
        entries.push(...body.entries);
        before = body.nextBefore;
        if (before === null) break;
      }
      const bySeq = new Map(entries.map((e) => [e.seq, e]));
      const lost = [...acked].filter(([seq, version]) => bySeq.get(seq)?.version !== version);
      expect(lost, `acknowledged but lost or changed (of ${acked.size})`).toEqual([]);
      const seqs = entries.map((e) => e.seq).reverse();
      expect(seqs, "numbered 1..n with no gap or repeat").toEqual(seqs.map((_, i) => i + 1));
      expect((await second.stop("SIGTERM")).code).toBe(0);
    });
  });
}
