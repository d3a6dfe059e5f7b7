import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../clock/clock.js";
import { probeRequest, type ResolvedProbe, waitForServing } from "./probe.js";

let server: Server;
let base = "";
let openaiModel = "llm-1";
let calls = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      calls++;
      res.setHeader("content-type", "application/json");
      if (req.url === "/v1/completions") {
        const sent = JSON.parse(body) as { model: string; max_tokens: number };
        res.end(JSON.stringify({ model: openaiModel, choices: [{ text: "x" }], sent }));
      } else if (req.url === "/version")
        res.end(JSON.stringify({ build: { version: calls >= 3 ? "7" : "6" } }));
      else {
        res.statusCode = 404;
        res.end("{}");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const probe = (fields: Partial<ResolvedProbe>): ResolvedProbe => ({
  protocol: "http",
  url: base,
  model: null,
  request: null,
  method: "GET",
  field: "version",
  expect: "7",
  intervalMs: 20,
  timeoutMs: 3000,
  ...fields,
});

describe("probes", () => {
  it("builds each protocol's request", () => {
    expect(
      probeRequest(
        probe({
          protocol: "open-inference-v2",
          url: `${base}/`,
          model: "iris",
          request: { inputs: [] },
        }),
      ),
    ).toEqual({
      request: { url: `${base}/v2/models/iris/infer`, method: "POST", body: { inputs: [] } },
      check: { field: "model_version", equals: "7" },
    });
    expect(probeRequest(probe({ protocol: "openai", model: "llm-2" }))).toEqual({
      request: {
        url: `${base}/v1/completions`,
        method: "POST",
        body: { model: "llm-2", prompt: "ping", max_tokens: 1 },
      },
      check: { field: "model", equals: "llm-2" },
    });
  });

  it("retries until the answer reports the version: the first success is servingAt", async () => {
    calls = 0;
    const before = Date.now();
    const result = await waitForServing(
      probe({ url: `${base}/version`, field: "build.version" }),
      systemClock,
      new AbortController().signal,
    );
    expect(result).toMatchObject({ ok: true, tries: 3 });
    expect(result.ok && result.servingAt).toBeGreaterThanOrEqual(before);
    expect(result.ok && result.latencyMs).toBeGreaterThan(0);
  });

  it("confirms the served model name over the OpenAI protocol, or times out", async () => {
    openaiModel = "llm-2";
    expect(
      await waitForServing(
        probe({ protocol: "openai", model: "llm-2" }),
        systemClock,
        new AbortController().signal,
      ),
    ).toMatchObject({
      ok: true,
      tries: 1,
    });
    openaiModel = "llm-1";
    const missed = await waitForServing(
      probe({ protocol: "openai", model: "llm-2", timeoutMs: 300 }),
      systemClock,
      new AbortController().signal,
    );
    expect(missed).toMatchObject({ ok: false, cancelled: false });
    expect(!missed.ok && missed.reason).toMatch(/model is "llm-1", expected "llm-2"/);
  });

  it("stops at once when cancelled", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await waitForServing(
      probe({ url: `${base}/nothing`, timeoutMs: 60_000 }),
      systemClock,
      controller.signal,
    );
    expect(result).toMatchObject({ ok: false, cancelled: true, reason: "stopped" });
  });
});
