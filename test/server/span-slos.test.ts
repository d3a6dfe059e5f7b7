import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { openStore } from "../../src/store/open-store.js";
import { runCliCaptured } from "../support/capture-io.js";
import { testServer } from "../support/test-server.js";

const SPECS = "test/fixtures/span-slos.yaml";
const ATTEMPTS = "test/fixtures/span-attempts.ndjson";
const AT = "2026-10-14T09:30:00Z";

describe("the service on SLOs from and to stages, and on attributes", () => {
  it("answers the same status as evaluate, and measures each attempt between the SLO's points", async () => {
    const store = await openStore(":memory:");
    const { app } = await testServer(store, parseSloSpecs(readFileSync(SPECS, "utf8"), SPECS).slos);
    try {
      const posted = await app.inject({
        method: "POST",
        url: "/api/v1/attempts",
        headers: { "content-type": "application/x-ndjson" },
        payload: readFileSync(ATTEMPTS, "utf8"),
      });
      expect(posted.statusCode).toBe(200);
      const cli = await runCliCaptured([
        "evaluate",
        "-c",
        SPECS,
        "-d",
        ATTEMPTS,
        "--at",
        AT,
        "-f",
        "json",
      ]);
      const status = await app.inject({ method: "GET", url: `/api/v1/slos?at=${AT}` });
      expect(status.json()).toEqual(JSON.parse(cli.stdout));

      const detail = await app.inject({
        method: "GET",
        url: `/api/v1/slos/after-approval?at=${AT}`,
      });
      expect(detail.statusCode).toBe(200);
      expect((detail.json() as { slo: { bad: number } }).slo.bad).toBe(3);

      const attempts = await app.inject({
        method: "GET",
        url: `/api/v1/slos/after-approval/attempts?to=${AT}`,
      });
      expect(attempts.statusCode).toBe(200);
      const measured = Object.fromEntries(
        (
          attempts.json() as { attempts: { id: string; measuredSeconds: number | null }[] }
        ).attempts.map((a) => [a.id, a.measuredSeconds]),
      );
      // From the approval's end to the first inference: s1 6 m, s2 15 m; the rest never served.
      expect(measured).toMatchObject({ s1: 360, s2: 900, s4: null, s5: null });
    } finally {
      await app.close();
      await store.close();
    }
  });
});
