import fc from "fast-check";

/** One HTTP request for `inject`; `payload` is sent as is. */
export interface FuzzRequest {
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: string;
}

// Placeholders JSON.stringify leaves alone, replaced by raw JSON afterwards.
const DEEP = "\u0001deep:";

/** Text a client may send, hostile or not: NUL, lone surrogates, long, near-valid values. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "grapheme-ascii", maxLength: 12 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udfff",
    "🚀",
    "a".repeat(257),
    "é".repeat(300),
    "../../etc/passwd",
    "%00",
    "%",
    "null",
    "[]",
    "{}",
    "-1",
    "0",
    "1e309",
    "NaN",
    "fraud-detector",
    "production",
    "prod-deploys",
    "2026-10-14T09:00:00Z",
    "2026-13-45T99:99:99Z",
    "9999-12-31T23:59:59Z",
  ),
);

/** Any JSON value a client may put in a field, up to thousands of levels deep. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: hostileText },
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 4, arbitrary: fc.constantFrom(null, true, 0, -1, 1.5, 1e308, -0, 2 ** 53 + 2) },
  { weight: 4, arbitrary: fc.dictionary(hostileText, hostileText, { maxKeys: 4 }) },
  // Costly to send and parse, so rarer: deep nesting, and counts just over the limits.
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 6000 }).map((depth) => `${DEEP}${depth}`) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 60, max: 120 })
      .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]))),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(99, 101, 1001)
      .map((n) => Array.from({ length: n }, () => ({ name: "s", seconds: 1 }))),
  },
);

/** JSON of `value`, with deep-nesting placeholders replaced by that many nested arrays. */
export function toJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001deep:(\d+)"/g, (_, depth: string) => {
    const n = Number(depth);
    return `${"[".repeat(n)}${"]".repeat(n)}`;
  });
}

const VALID_RECORD = {
  id: "fuzz-1",
  model: "fraud-detector",
  version: "7",
  environment: "production",
  labels: { team: "risk" },
  startedAt: "2026-10-14T09:00:00Z",
  servingAt: "2026-10-14T09:03:00Z",
  stages: [{ name: "deploy", startedAt: "2026-10-14T09:00:00Z", endedAt: "2026-10-14T09:02:00Z" }],
  dependencies: [{ name: "image_pull", seconds: 12 }],
  attributes: { run: 1 },
};
const RECORD_FIELDS = [...Object.keys(VALID_RECORD), "outcome", "endedAt", "unknown"];

const VALID_EVENTS = [
  {
    type: "attempt.started",
    attemptId: "fuzz-e",
    at: "2026-10-14T09:00:00Z",
    model: "fraud-detector",
    version: "7",
    environment: "production",
  },
  { type: "stage.started", attemptId: "fuzz-e", at: "2026-10-14T09:00:10Z", stage: "deploy" },
  { type: "stage.finished", attemptId: "fuzz-e", at: "2026-10-14T09:01:00Z", stage: "deploy" },
  { type: "attempt.serving", attemptId: "fuzz-e", at: "2026-10-14T09:02:00Z" },
  { type: "attempt.finished", attemptId: "fuzz-e", at: "2026-10-14T09:03:00Z", outcome: "failed" },
  { type: "dependency.measured", attemptId: "fuzz-e", name: "image_pull", seconds: 3 },
];
const EVENT_FIELDS = [
  "id",
  "type",
  "attemptId",
  "at",
  "model",
  "labels",
  "stage",
  "status",
  "outcome",
  "seconds",
  "name",
  "attributes",
  "kind",
  "startedAt",
  "unknown",
];

/** A valid object with up to three fields replaced by hostile values (or none). */
function mutated(
  base: fc.Arbitrary<Record<string, unknown>>,
  fields: readonly string[],
): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      base,
      fc.array(fc.tuple(fc.constantFrom(...fields), hostileValue), { maxLength: 3 }),
      fc.integer({ min: 0, max: 50 }),
    )
    .map(([value, changes, id]) => {
      const out: Record<string, unknown> = { ...value };
      if ("id" in out) out.id = `fuzz-${id}`;
      for (const [field, replacement] of changes) out[field] = replacement;
      return out;
    });
}

const record = mutated(fc.constant(VALID_RECORD), RECORD_FIELDS);
const gate = mutated(
  fc.constant({
    model: "fraud-detector",
    environment: "production",
    version: "7",
    change: "normal",
  }),
  ["model", "environment", "version", "change", "labels", "at", "unknown"],
);
const approval = mutated(
  fc.constant({ model: "fraud-detector", environment: "production", reason: "ok", validFor: "1h" }),
  ["model", "environment", "version", "reason", "validFor", "unknown"],
);
const event = mutated(fc.constantFrom(...VALID_EVENTS), EVENT_FIELDS);

const CONTENT_TYPES = [
  "application/json",
  "application/x-ndjson",
  "application/json; charset=utf-8",
  "text/plain",
  "application/xml",
  "multipart/form-data; boundary=x",
];

/** A body for an ingest endpoint: one value, an array, NDJSON, or bytes that are not JSON. */
function body(item: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<{
  payload: string;
  type: string | undefined;
}> {
  return fc.oneof(
    fc.tuple(item, fc.constantFrom(...CONTENT_TYPES)).map(([value, type]) => ({
      payload: toJson(value),
      type,
    })),
    fc.array(item, { maxLength: 4 }).map((values) => ({
      payload: toJson(values),
      type: "application/json",
    })),
    fc.array(item, { maxLength: 4 }).map((values) => ({
      payload: values.map(toJson).join("\n"),
      type: "application/x-ndjson",
    })),
    fc.tuple(hostileText, fc.constantFrom(...CONTENT_TYPES, undefined)).map(([text, type]) => ({
      payload: text,
      type,
    })),
    fc.constantFrom(
      { payload: "", type: "application/json" },
      { payload: "{", type: "application/json" },
      { payload: '{"__proto__":{"x":1}}', type: "application/json" },
      { payload: '{"constructor":{"prototype":{"x":1}}}', type: "application/json" },
      { payload: "\n\n", type: "application/x-ndjson" },
      { payload: "\ufeff{}", type: "application/json" },
    ),
  );
}

/** Percent-encodes text as UTF-8 bytes; a lone surrogate goes as U+FFFD, as a browser sends it. */
function encode(text: string): string {
  return [...Buffer.from(text, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
}

const QUERY_NAMES = [
  "model",
  "version",
  "environment",
  "outcome",
  "from",
  "to",
  "limit",
  "cursor",
  "at",
  "slo",
  "state",
  "target",
  "window",
  "unknown",
];

const query = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_NAMES), hostileText),
      fc.oneof(hostileText, fc.integer({ min: -5, max: 5000 }).map(String)),
      fc.boolean(),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => {
    if (pairs.length === 0) return "";
    // Sometimes raw, to send malformed escapes such as a lone `%`.
    const parts = pairs.map(([name, value, raw]) =>
      raw
        ? `${name.replace(/[&#?\s]/g, "")}=${value.replace(/[&#\s]/g, "")}`
        : `${encode(name)}=${encode(value)}`,
    );
    return `?${parts.join("&")}`;
  });

const COSTLY_PATHS = ["/metrics", "/api/openapi.json"];
const PATHS = [
  "/healthz",
  "/readyz",
  "/api/v1/attempts",
  "/api/v1/attempts/{id}",
  "/api/v1/attempts/{id}/trace",
  "/api/v1/overview",
  "/api/v1/slos",
  "/api/v1/slos/{id}",
  "/api/v1/slos/{id}/histogram",
  "/api/v1/slos/{id}/attempts",
  "/api/v1/stages",
  "/api/v1/alerts",
  "/api/v1/notifications",
  "/api/v1/gate",
  "/api/v1/approvals",
  "/api/v1/audit",
  "/api/v1/{id}",
  "/{id}",
];

const pathId = fc.oneof(
  fc.constantFrom("fuzz-1", "fuzz-e", "prod-deploys", "a%2Fb", "%00", "..", "%ZZ"),
  hostileText.map(encode),
);

/** Paths weighted by cost: the OpenAPI document and /metrics take tens of times longer. */
const path = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom(...PATHS) },
  { weight: 1, arbitrary: fc.constantFrom(...COSTLY_PATHS) },
);

const readRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(path, pathId, query, fc.constantFrom("GET", "GET", "DELETE", "PUT"))
  .map(([route, id, q, method]) => ({
    method: method as FuzzRequest["method"],
    url: `${route.replace("{id}", id)}${q}`,
    headers: {},
  }));

const writeRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.oneof(
      body(record).map((b) => ({ ...b, url: "/api/v1/attempts" })),
      body(event).map((b) => ({ ...b, url: "/api/v1/events" })),
      body(record).map((b) => ({ ...b, url: "/api/v1/slos" })),
      body(gate).map((b) => ({ ...b, url: "/api/v1/gate" })),
      body(gate).map((b) => ({ ...b, url: "/api/v1/gate/flagger" })),
      body(approval).map((b) => ({ ...b, url: "/api/v1/approvals" })),
    ),
    fc.constantFrom("POST", "POST", "POST", "PATCH"),
  )
  .map(([{ payload, type, url }, method]) => ({
    method: method as FuzzRequest["method"],
    url,
    headers: type === undefined ? {} : { "content-type": type },
    payload,
  }));

/** Requests across every endpoint, reads and writes alike, mostly hostile. */
export const hostileRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(readRequest, writeRequest);
