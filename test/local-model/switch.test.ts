import { createServer } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import {
  call,
  inferRequest,
  type Script,
  startModelServer,
  startScript,
  stopAllScripts,
} from "./local-target.js";

// examples/local-model/switch.mjs moves traffic between model servers through its admin API.

const SETOSA = [5.1, 3.5, 1.4, 0.2];

interface Switch {
  readonly script: Script;
  readonly url: string;
  readonly admin: string;
}

async function startSwitch(upstream?: string): Promise<Switch> {
  const script = startScript("switch.mjs", [
    "--port",
    "0",
    "--admin-port",
    "0",
    ...(upstream === undefined ? [] : ["--upstream", upstream]),
  ]);
  const [, url = "", admin = ""] = await script.waitFor(
    /listening on (http:\/\/127\.0\.0\.1:\d+) \(admin (http:\/\/127\.0\.0\.1:\d+)\)/,
  );
  return { script, url, admin };
}

/** The model_version that answered one inference through the switch. */
async function servedVersion(url: string): Promise<string> {
  const reply = await call(`${url}/v2/models/iris/infer`, "POST", inferRequest([SETOSA]));
  expect(reply.status, JSON.stringify(reply.json)).toBe(200);
  return (reply.json as { model_version: string }).model_version;
}

afterEach(async () => {
  await stopAllScripts();
});

describe("examples/local-model/switch.mjs", () => {
  it("moves traffic from one model server to another", async () => {
    const [v1, v2] = await Promise.all([startModelServer("1"), startModelServer("2")]);
    const sw = await startSwitch(v1.url);

    const first = await call(`${sw.url}/v2/models/iris/infer`, "POST", inferRequest([SETOSA]));
    expect(first.headers.get("x-deployslo-upstream")).toBe(v1.url);
    expect(await servedVersion(sw.url)).toBe("1");
    expect(await call(`${sw.url}/v2/health/ready`)).toMatchObject({
      status: 200,
      json: { ready: true },
    });

    const moved = await call(`${sw.admin}/admin/route`, "POST", { upstream: v2.url });
    expect(moved).toMatchObject({
      status: 200,
      json: { routes: [{ upstream: v2.url, weight: 100 }], generation: 1 },
    });
    expect(await servedVersion(sw.url)).toBe("2");
    expect(await call(`${sw.admin}/admin/route`)).toMatchObject({
      status: 200,
      json: { routes: [{ upstream: v2.url, weight: 100 }], generation: 1 },
    });
    expect(sw.script.stdout()).toMatch(`route 1: ${v2.url} weight 100`);
  });

  it("splits traffic by weight, exactly, in every run of requests", async () => {
    const [v1, v2] = await Promise.all([startModelServer("1"), startModelServer("2")]);
    const sw = await startSwitch();
    const routed = await call(`${sw.admin}/admin/route`, "POST", {
      routes: [
        { upstream: v1.url, weight: 80 },
        { upstream: v2.url, weight: 20 },
      ],
    });
    expect(routed.status).toBe(200);
    const versions: string[] = [];
    for (let i = 0; i < 10; i++) versions.push(await servedVersion(sw.url));
    expect(versions.filter((v) => v === "1")).toHaveLength(8);
    expect(versions.filter((v) => v === "2")).toHaveLength(2);
  });

  it("answers 502 with a JSON error when the upstream is down, 503 with no route", async () => {
    const sw = await startSwitch();
    const none = await call(`${sw.url}/v2/health/ready`);
    expect(none.status).toBe(503);
    expect((none.json as { error: string }).error).toMatch(/no upstream is routed yet/);

    const server = await startModelServer("2");
    await call(`${sw.admin}/admin/route`, "POST", { upstream: server.url });
    expect(await servedVersion(sw.url)).toBe("2");
    await server.script.stop();

    const down = await call(`${sw.url}/v2/models/iris/infer`, "POST", inferRequest([SETOSA]));
    expect(down.status).toBe(502);
    expect((down.json as { error: string }).error).toMatch(
      new RegExp(`^upstream ${server.url} is unreachable: .*ECONNREFUSED`),
    );
  });

  it("refuses a bad route with 400 and keeps the current one", async () => {
    const sw = await startSwitch("http://127.0.0.1:9");
    const cases: [unknown, RegExp][] = [
      [{}, /the body must be/],
      [{ upstream: "ftp://127.0.0.1:1" }, /upstream must be an http:\/\/ URL/],
      [{ upstream: "http://127.0.0.1:1/v2" }, /origin without a path/],
      [{ routes: [{ upstream: "http://127.0.0.1:1", weight: -1 }] }, /routes\[0\]\.weight must be/],
      [{ routes: [{ upstream: "http://127.0.0.1:1", weight: 0 }] }, /a weight above 0/],
      [
        {
          routes: [
            { upstream: "http://127.0.0.1:1", weight: 1 },
            { upstream: "http://127.0.0.1:1/", weight: 1 },
          ],
        },
        /appears twice/,
      ],
      ["[", /not valid JSON/],
    ];
    for (const [body, message] of cases) {
      const reply = await call(`${sw.admin}/admin/route`, "POST", body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect((reply.json as { error: string }).error).toMatch(message);
    }
    expect(await call(`${sw.admin}/admin/route`)).toMatchObject({
      json: { routes: [{ upstream: "http://127.0.0.1:9", weight: 100 }], generation: 0 },
    });
  });
});

describe("examples/local-model/switch.mjs --upstream-timeout-ms", () => {
  it("answers 504 when the upstream accepts but never answers", async () => {
    const silent = createServer(() => {
      // Never answers: the switch must give up on its own.
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = silent.address();
    const upstream = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    try {
      const script = startScript("switch.mjs", [
        "--port",
        "0",
        "--admin-port",
        "0",
        "--upstream",
        upstream,
        "--upstream-timeout-ms",
        "200",
      ]);
      const [, url = ""] = await script.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+) /);
      const reply = await call(`${url}/v2/health/ready`);
      expect(reply.status).toBe(504);
      expect((reply.json as { error: string }).error).toBe(
        `upstream ${upstream} timed out: no answer within 200 ms`,
      );
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
