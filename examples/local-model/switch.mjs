// A local traffic switch: a reverse proxy that forwards every request to the current upstream,
// or splits requests between weighted upstreams (a canary), moved through a small admin API.
// Usage: see USAGE below and examples/local-model/README.md.

import { Agent, createServer, request as httpRequest } from "node:http";
import { integer, parseCli, port, UsageError } from "./cli-args.mjs";
import { HttpError, readJson, sendJson, stopOnSignals } from "./http-json.mjs";

const NAME = "local-switch";
const USAGE =
  "node examples/local-model/switch.mjs --port P --admin-port A [--upstream URL] " +
  "[--host 127.0.0.1] [--upstream-timeout-ms MS]";
/** Response header naming the upstream that answered, so a probe can tell where it went. */
const UPSTREAM_HEADER = "x-deployslo-upstream";
// No pooled connections: a stopped upstream must not leave stale sockets for the next request.
const agent = new Agent({ keepAlive: false });
/** Hop-by-hop headers are not forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
]);

/**
 * An upstream origin such as http://127.0.0.1:8001, from user input.
 * @param {unknown} value
 * @param {string} where
 * @param {(message: string) => Error} fail
 */
function upstreamOrigin(value, where, fail) {
  if (typeof value !== "string")
    throw fail(`${where} must be a URL string such as "http://127.0.0.1:8001"`);
  let url;
  try {
    url = new URL(value);
  } catch {
    throw fail(`${where} is not a URL: "${value}"`);
  }
  if (url.protocol !== "http:") throw fail(`${where} must be an http:// URL, got "${value}"`);
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "") {
    throw fail(`${where} must be an origin without a path, got "${value}"`);
  }
  return url.origin;
}

const options = parseCli(
  NAME,
  USAGE,
  {
    port: { type: "string" },
    "admin-port": { type: "string" },
    upstream: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    "upstream-timeout-ms": { type: "string", default: "30000" },
  },
  (v) => ({
    port: port(v.port, "--port"),
    adminPort: port(v["admin-port"], "--admin-port"),
    upstream:
      v.upstream === undefined
        ? undefined
        : upstreamOrigin(v.upstream, "--upstream", (m) => new UsageError(m)),
    host: String(v.host),
    upstreamTimeoutMs: integer(v["upstream-timeout-ms"], "--upstream-timeout-ms", 1, 3_600_000),
  }),
);

/**
 * The route table. Requests are spread by smooth weighted round-robin (as nginx does): with
 * weights 90 and 10, every run of 10 requests sends exactly 9 to the first upstream, interleaved.
 */
let routes = options.upstream === undefined ? [] : [{ upstream: options.upstream, weight: 100 }];
let current = routes.map(() => 0);
let generation = 0;
let changedAt = new Date().toISOString();

function pickUpstream() {
  if (routes.length === 0) return undefined;
  const total = routes.reduce((sum, r) => sum + r.weight, 0);
  let best = 0;
  for (let i = 0; i < routes.length; i++) {
    current[i] += routes[i].weight;
    if (current[i] > current[best]) best = i;
  }
  current[best] -= total;
  return routes[best].upstream;
}

const routeView = () => ({ routes, generation, changedAt });

/** Parses a POST /admin/route body: {"upstream": URL} or {"routes": [{upstream, weight}, …]}. */
function readRoutes(body) {
  const fail = (message) => new HttpError(400, message);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw fail(
      'the body must be {"upstream": URL} or {"routes": [{"upstream": URL, "weight": N}, …]}',
    );
  }
  if (body.upstream !== undefined && body.routes !== undefined) {
    throw fail("give either upstream or routes, not both");
  }
  if (body.upstream !== undefined)
    return [{ upstream: upstreamOrigin(body.upstream, "upstream", fail), weight: 100 }];
  if (!Array.isArray(body.routes) || body.routes.length === 0) {
    throw fail(
      'the body must be {"upstream": URL} or {"routes": [{"upstream": URL, "weight": N}, …]}',
    );
  }
  const parsed = body.routes.map((r, i) => {
    const upstream = upstreamOrigin(r?.upstream, `routes[${i}].upstream`, fail);
    const weight = r?.weight;
    if (!Number.isSafeInteger(weight) || weight < 0 || weight > 1_000_000) {
      throw fail(`routes[${i}].weight must be a whole number from 0 to 1000000`);
    }
    return { upstream, weight };
  });
  if (new Set(parsed.map((r) => r.upstream)).size !== parsed.length)
    throw fail("an upstream appears twice in routes");
  if (parsed.every((r) => r.weight === 0)) throw fail("at least one route needs a weight above 0");
  return parsed.filter((r) => r.weight > 0);
}

async function admin(req, res) {
  const path = new URL(req.url ?? "/", "http://local").pathname;
  if (path !== "/admin/route")
    throw new HttpError(404, `no such endpoint: ${path} (use /admin/route)`);
  if (req.method === "GET") return sendJson(res, 200, routeView());
  if (req.method !== "POST") throw new HttpError(405, `${req.method} is not allowed on ${path}`);
  routes = readRoutes(await readJson(req));
  current = routes.map(() => 0);
  generation++;
  changedAt = new Date().toISOString();
  process.stdout.write(
    `${NAME}: route ${generation}: ${routes.map((r) => `${r.upstream} weight ${r.weight}`).join(", ")}\n`,
  );
  return sendJson(res, 200, routeView());
}

function proxy(req, res) {
  const upstream = pickUpstream();
  if (upstream === undefined) {
    return sendJson(res, 503, {
      error: "no upstream is routed yet: POST /admin/route on the admin port",
    });
  }
  const target = new URL(req.url ?? "/", upstream);
  const headers = Object.fromEntries(
    Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)),
  );
  headers.host = target.host;
  const client = req.socket.remoteAddress ?? "";
  const forwardedFor = req.headers["x-forwarded-for"];
  headers["x-forwarded-for"] = forwardedFor ? `${forwardedFor}, ${client}` : client;
  const outgoing = httpRequest(target, { method: req.method, headers, agent }, (answer) => {
    const forwarded = Object.fromEntries(
      Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)),
    );
    res.writeHead(answer.statusCode ?? 502, { ...forwarded, [UPSTREAM_HEADER]: upstream });
    answer.pipe(res);
  });
  let timedOut = false;
  outgoing.setTimeout(options.upstreamTimeoutMs, () => {
    timedOut = true;
    outgoing.destroy(new Error(`no answer within ${options.upstreamTimeoutMs} ms`));
  });
  outgoing.on("error", (error) => {
    if (res.headersSent || res.destroyed) return res.destroy();
    sendJson(
      res,
      timedOut ? 504 : 502,
      {
        error: `upstream ${upstream} ${timedOut ? "timed out" : "is unreachable"}: ${error.message}`,
      },
      { [UPSTREAM_HEADER]: upstream },
    );
  });
  // A client that goes away takes its upstream request with it.
  res.on("close", () => {
    if (!res.writableFinished) outgoing.destroy();
  });
  req.pipe(outgoing);
}

const adminServer = createServer((req, res) => {
  admin(req, res).catch((error) => {
    const status = error instanceof HttpError ? error.status : 500;
    sendJson(res, status, { error: error instanceof Error ? error.message : String(error) });
  });
});
const proxyServer = createServer(proxy);

const listen = (server, wanted) =>
  new Promise((resolvePort, reject) => {
    server.once("error", reject);
    server.listen(wanted, options.host, () => {
      const address = server.address();
      resolvePort(typeof address === "object" && address ? address.port : wanted);
    });
  });

const origin = (p) =>
  `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${p}`;

Promise.all([listen(proxyServer, options.port), listen(adminServer, options.adminPort)]).then(
  ([proxyPort, adminPort]) => {
    process.stdout.write(
      `${NAME}: listening on ${origin(proxyPort)} (admin ${origin(adminPort)}), ` +
        `upstream ${options.upstream ?? "none"}\n`,
    );
  },
  (error) => {
    process.stderr.write(`${NAME}: cannot listen on ${options.host}: ${error.message}\n`);
    process.exit(1);
  },
);

stopOnSignals([proxyServer, adminServer]);
