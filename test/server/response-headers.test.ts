import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { API_CSP, DASHBOARD_CSP } from "../../src/server/security-headers.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { testServer } from "../support/test-server.js";

// Headers every answer carries, and the answers Node's HTTP parser gives on our behalf.

const SLOS = parseSloSpecs(readFileSync("test/fixtures/slos.yaml", "utf8"), "slos.yaml").slos;

let store: Store;
let app: FastifyInstance;
let dashboard: string;
let logged: Record<string, unknown>[];

/** A stream that parses pino's JSON lines into `lines`. */
function sinkTo(lines: Record<string, unknown>[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
}

beforeEach(async () => {
  store = await openStore(":memory:");
  dashboard = mkdtempSync(join(tmpdir(), "deployslo-headers-"));
  writeFileSync(join(dashboard, "index.html"), "<!doctype html><title>deployslo</title>");
  logged = [];
  const sink = sinkTo(logged);
  ({ app } = await testServer(store, SLOS, {
    bodyLimitBytes: 1024,
    server: { dashboardRoot: dashboard, logger: pino({ level: "debug" }, sink) },
  }));
});

afterEach(async () => {
  await app.close();
  await store.close();
  rmSync(dashboard, { recursive: true, force: true });
});

/** Sends raw bytes on a new connection; resolves with everything the server sent before closing. */
async function raw(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return await new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(text));
    socket.setTimeout(5000, () => reject(new Error(`no close within 5 s; got ${text}`)));
    socket.write(bytes);
  });
}

function parseResponse(text: string) {
  const [head = "", body = ""] = text.split("\r\n\r\n");
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers = Object.fromEntries(
    lines.map((line) => [
      line.slice(0, line.indexOf(":")).toLowerCase(),
      line.slice(line.indexOf(":") + 1).trim(),
    ]),
  );
  return { status: Number(statusLine.split(" ")[1]), headers, body };
}

describe("security headers", () => {
  it.each([
    ["GET", "/healthz", 200],
    ["GET", "/api/v1/attempts", 200],
    ["GET", "/api/v1/attempts?limit=0", 400],
    ["GET", "/api/v1/nope", 404],
    ["GET", "/metrics", 200],
    ["GET", "/api/openapi.json", 200],
  ])("%s %s (%i) says nosniff and may not be framed", async (method, url, status) => {
    const res = await app.inject({ method: method as "GET", url });
    expect(res.statusCode).toBe(status);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["content-security-policy"]).toBe(API_CSP);
  });

  it("gives the dashboard a Content-Security-Policy of its own files and no framing", async () => {
    const res = await app.inject({ method: "GET", url: "/slos/prod-deploys" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["content-security-policy"]).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("frame-ancestors 'none'");
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
  });
});

describe("answers that end the connection", () => {
  it("answers a body over the limit with a 413 problem and Connection: close", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      headers: { "content-type": "application/json" },
      payload: `[${"0,".repeat(600)}0]`,
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
    expect(res.headers.connection).toBe("close");
  });

  it("answers headers over 16 KiB with a 431 problem and Connection: close, then closes", async () => {
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    const text = await raw(
      url,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    );
    const response = parseResponse(text);
    expect(response.status, text).toBe(431);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(response.headers.connection).toBe("close");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(JSON.parse(response.body)).toMatchObject({
      status: 431,
      code: "HEADERS_TOO_LARGE",
      type: "urn:deployslo:problem:headers-too-large",
    });
  });

  it("answers a request that is not HTTP with a 400 problem, then closes", async () => {
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    const response = parseResponse(await raw(url, "HELLO\r\n\r\n"));
    expect(response.status).toBe(400);
    expect(response.headers.connection).toBe("close");
    expect(JSON.parse(response.body)).toMatchObject({ code: "INVALID_REQUEST" });
  });
});

describe("request logging", () => {
  const completed = () => logged.filter((line) => line.msg === "request completed");

  it("logs a quick success at debug level, a client error at info", async () => {
    await app.inject({ method: "GET", url: "/api/v1/overview" });
    await app.inject({ method: "GET", url: "/api/v1/attempts?limit=0" });
    expect(completed().map((line) => [line.url, line.statusCode, line.level])).toEqual([
      ["/api/v1/overview", 200, 20],
      ["/api/v1/attempts?limit=0", 400, 30],
    ]);
    expect(logged.filter((line) => line.level === 30 && line.statusCode === 200)).toEqual([]);
  });

  it("logs a slow success at info level", async () => {
    const slow = await testServer(store, SLOS, {
      server: { logger: pino({ level: "info" }, sinkTo(logged)), slowRequestMs: 0 },
    });
    await slow.app.inject({ method: "GET", url: "/healthz" });
    await slow.app.close();
    expect(logged.filter((line) => line.msg === "slow request")).toEqual([
      expect.objectContaining({ level: 30, url: "/healthz", statusCode: 200 }),
    ]);
  });
});
