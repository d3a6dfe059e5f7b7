import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeploysloError } from "../../src/core/primitives/error-codes.js";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { checkExposure, parseTokens } from "../../src/server/server-config.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { testServer } from "../support/test-server.js";

const SLOS = parseSloSpecs(readFileSync("test/fixtures/slos.yaml", "utf8"), "slos.yaml").slos;
const READ = "read-token-0123456789";
const INGEST = "ingest-token-0123456789";
const ADMIN = "admin-token-0123456789";

let store: Store;
let app: FastifyInstance;

beforeAll(async () => {
  store = await openStore(":memory:");
  ({ app } = await testServer(store, SLOS, {
    tokens: parseTokens(`reader:read:${READ},ci:ingest:${INGEST},ops:admin:${ADMIN}`, "test"),
  }));
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const record = {
  id: "a",
  model: "m",
  version: "1",
  environment: "production",
  startedAt: "2026-10-14T09:00:00Z",
};

describe("API tokens", () => {
  it("answers 401 without a token or with an unknown one", async () => {
    for (const headers of [{}, bearer("wrong-token-0123456789"), { authorization: "Basic abc" }]) {
      const res = await app.inject({ method: "GET", url: "/api/v1/slos", headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: "UNAUTHORIZED" });
    }
  });

  it("keeps the OpenAPI document behind a read token; health checks stay public", async () => {
    const anonymous = await app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: "UNAUTHORIZED" });
    const read = await app.inject({
      method: "GET",
      url: "/api/openapi.json",
      headers: bearer(READ),
    });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ openapi: "3.1.0" });
    for (const url of ["/healthz", "/readyz"]) {
      expect((await app.inject({ method: "GET", url })).statusCode, url).toBe(200);
    }
  });

  it("lets read tokens read but not ingest", async () => {
    expect(
      (await app.inject({ method: "GET", url: "/api/v1/slos", headers: bearer(READ) })).statusCode,
    ).toBe(200);
    expect(
      (await app.inject({ method: "GET", url: "/metrics", headers: bearer(READ) })).statusCode,
    ).toBe(200);
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      headers: bearer(READ),
      payload: record,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      code: "FORBIDDEN",
      detail: 'token "reader" has role read; this request needs ingest',
    });
  });

  it("lets ingest and admin tokens ingest and read", async () => {
    for (const token of [INGEST, ADMIN]) {
      expect(
        (
          await app.inject({
            method: "POST",
            url: "/api/v1/attempts",
            headers: bearer(token),
            payload: record,
          })
        ).statusCode,
      ).toBe(200);
      expect(
        (await app.inject({ method: "GET", url: "/api/v1/attempts/a", headers: bearer(token) }))
          .statusCode,
      ).toBe(200);
    }
  });

  it("leaves health checks open for orchestrators", async () => {
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
  });
});

describe("token configuration", () => {
  it("reads ROLE:TOKEN and NAME:ROLE:TOKEN entries", () => {
    expect(parseTokens(`read:${READ}, ops:admin:${ADMIN}\n`, "env")).toEqual([
      { name: "token-1", role: "read", token: READ },
      { name: "ops", role: "admin", token: ADMIN },
    ]);
  });
  it.each([
    ["root:secret-0123456789abc", 'has role "root"'],
    ["read:short", "shorter than 16 characters"],
    ["ci:ingest:", 'the token of entry 1 ("ci", role ingest) is empty'],
    ["ingest:", 'the token of entry 1 ("token-1", role ingest) is empty'],
    ["justatoken", "must be ROLE:TOKEN or NAME:ROLE:TOKEN"],
  ])("rejects %s", (text, message) => {
    expect(() => parseTokens(text, "DEPLOYSLO_TOKENS")).toThrow(message);
  });
});

describe("exposure", () => {
  const config = { port: 8080, bodyLimitBytes: 1, insecure: false };
  it("allows loopback without tokens", () => {
    for (const host of ["127.0.0.1", "localhost", "::1", "127.0.0.2"]) {
      expect(() => checkExposure({ ...config, host, tokens: [] })).not.toThrow();
    }
  });
  it("refuses other addresses without tokens unless --insecure", () => {
    expect(() => checkExposure({ ...config, host: "0.0.0.0", tokens: [] })).toThrow(DeploysloError);
    expect(() =>
      checkExposure({ ...config, host: "0.0.0.0", tokens: [], insecure: true }),
    ).not.toThrow();
    expect(() =>
      checkExposure({
        ...config,
        host: "0.0.0.0",
        tokens: [{ name: "a", role: "admin", token: ADMIN }],
      }),
    ).not.toThrow();
  });
});
