import { describe, expect, it } from "vitest";
import { ApiError, createApiClient, errorCodeFor, normalizeBaseUrl } from "./api-client.js";

interface Call {
  readonly url: string;
  readonly init: RequestInit;
}

/** A fetch that records its calls and answers with `respond`. */
function fakeFetch(respond: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const call = { url: String(input), init };
    calls.push(call);
    return respond(call);
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

const problem = (status: number, code: string, detail: string, errors?: string[]) =>
  new Response(
    JSON.stringify({
      type: "urn:x",
      title: "t",
      status,
      code,
      detail,
      ...(errors ? { errors } : {}),
    }),
    { status, headers: { "content-type": "application/problem+json" } },
  );

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("createApiClient", () => {
  it("posts NDJSON with the token, under the base URL's path", async () => {
    const { calls, fetch } = fakeFetch(() => json(200, { accepted: 2, inserted: 1, updated: 1 }));
    const client = createApiClient({
      baseUrl: "https://example.com/deployslo",
      token: "secret-token-123456",
      fetch,
      userAgent: "deployslo/test",
    });
    expect(await client.postAttempts('{"id":"a"}\n{"id":"b"}\n')).toEqual({
      accepted: 2,
      inserted: 1,
      updated: 1,
    });
    const [call] = calls;
    expect(call?.url).toBe("https://example.com/deployslo/api/v1/attempts");
    expect(call?.init.method).toBe("POST");
    expect(call?.init.body).toBe('{"id":"a"}\n{"id":"b"}\n');
    expect(call?.init.headers).toMatchObject({
      authorization: "Bearer secret-token-123456",
      "content-type": "application/x-ndjson",
      "user-agent": "deployslo/test",
    });
    expect(call?.init.signal).toBeInstanceOf(AbortSignal);
  });

  it("sends no Authorization header without a token, and `at` as RFC 3339", async () => {
    const { calls, fetch } = fakeFetch(() =>
      json(200, { at: "2026-10-14T09:30:00.000Z", slos: [] }),
    );
    const client = createApiClient({ baseUrl: "http://127.0.0.1:8080", fetch });
    expect(await client.getSlos(Date.parse("2026-10-14T09:30:00Z"))).toEqual({
      at: "2026-10-14T09:30:00.000Z",
      slos: [],
    });
    await client.getSlos();
    expect(calls.map((c) => c.url)).toEqual([
      "http://127.0.0.1:8080/api/v1/slos?at=2026-10-14T09%3A30%3A00.000Z",
      "http://127.0.0.1:8080/api/v1/slos",
    ]);
    expect(calls[0]?.init.headers).not.toHaveProperty("authorization");
  });

  it("parses problem details into an ApiError", async () => {
    const { fetch } = fakeFetch(() =>
      problem(400, "RECORD_INVALID", "1 of 2 records invalid; nothing was stored", [
        "line 2: model is required",
      ]),
    );
    const client = createApiClient({ baseUrl: "http://s", fetch });
    const error = await failure(client.postAttempts("{}\n"));
    expect(error).toMatchObject({
      status: 400,
      code: "RECORD_INVALID",
      detail: "1 of 2 records invalid; nothing was stored",
      errors: ["line 2: model is required"],
      transient: false,
      message: "400 RECORD_INVALID: 1 of 2 records invalid; nothing was stored",
    });
  });

  it("copes with an error page that is not JSON, and reads Retry-After", async () => {
    const { fetch } = fakeFetch(
      () =>
        new Response("<html>Bad Gateway</html>", {
          status: 502,
          statusText: "Bad Gateway",
          headers: { "retry-after": "3" },
        }),
    );
    const error = await failure(createApiClient({ baseUrl: "http://s", fetch }).getSlos());
    expect(error).toMatchObject({ status: 502, code: null, detail: "Bad Gateway" });
    expect(error.retryAfterMs).toBe(3000);
    expect(error.transient).toBe(true);
  });

  it("turns a refused connection into a transient error with no status", async () => {
    const { fetch } = fakeFetch(() => {
      const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), {
        code: "ECONNREFUSED",
      });
      throw new TypeError("fetch failed", { cause });
    });
    const error = await failure(createApiClient({ baseUrl: "http://s", fetch }).getSlos());
    expect(error).toMatchObject({
      status: null,
      detail: "connection refused (ECONNREFUSED)",
      transient: true,
    });
  });

  it("finds the code inside an AggregateError (both addresses of localhost refused)", async () => {
    const { fetch } = fakeFetch(() => {
      const refused = Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
      throw new TypeError("fetch failed", { cause: new AggregateError([refused, refused]) });
    });
    const error = await failure(createApiClient({ baseUrl: "http://s", fetch }).getSlos());
    expect(error.detail).toBe("connection refused (ECONNREFUSED)");
  });

  it("gives undici's reason when there is no error code", async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError("fetch failed", { cause: new Error("bad port") });
    });
    const error = await failure(createApiClient({ baseUrl: "http://s:1", fetch }).getSlos());
    expect(error.detail).toBe("fetch failed: bad port");
  });

  it("says when the server did not answer in time", async () => {
    const { fetch } = fakeFetch(() => {
      throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
    });
    const client = createApiClient({ baseUrl: "http://s", fetch, timeoutMs: 2500 });
    const error = await failure(client.postAttempts("{}\n"));
    expect(error).toMatchObject({ status: null, detail: "no answer within 2.5s", transient: true });
  });

  it("times out for real with AbortSignal.timeout", async () => {
    const { fetch } = fakeFetch(
      ({ init }) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
        }),
    );
    const client = createApiClient({ baseUrl: "http://s", fetch, timeoutMs: 20 });
    const error = await failure(client.getSlos());
    expect(error.detail).toBe("no answer within 0.02s");
  });

  it("rejects an answer that is not the expected shape", async () => {
    const { fetch } = fakeFetch(() => new Response("<html>hello</html>", { status: 200 }));
    const error = await failure(createApiClient({ baseUrl: "http://s", fetch }).getSlos());
    expect(error.detail).toMatch(/is this a deployslo server/);
  });
});

describe("normalizeBaseUrl", () => {
  it("ends the URL with / and drops query and fragment", () => {
    expect(normalizeBaseUrl("http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080/");
    expect(normalizeBaseUrl("https://h/slo?x=1#y")).toBe("https://h/slo/");
  });

  it.each(["localhost:8080", "ftp://h/", "not a url", "http://user:pw@h/"])(
    "refuses %s",
    (text) => {
      expect(() => normalizeBaseUrl(text)).toThrow(expect.objectContaining({ code: "USAGE" }));
    },
  );
});

describe("errorCodeFor", () => {
  const error = (status: number | null, code: string | null = null) =>
    new ApiError({ status, code, detail: "d" });

  it("keeps the server's code when it is ours and means exit 1", () => {
    expect(errorCodeFor(error(400, "RECORD_INVALID"), "STORE_UNAVAILABLE")).toBe("RECORD_INVALID");
    expect(errorCodeFor(error(503, "STORE_UNAVAILABLE"), "RECORD_INVALID")).toBe(
      "STORE_UNAVAILABLE",
    );
  });

  it("never passes on a usage error or a bug: those would mean exit 2 or 70 here", () => {
    expect(errorCodeFor(error(400, "USAGE"), "RECORD_INVALID")).toBe("RECORD_INVALID");
    expect(errorCodeFor(error(500, "INTERNAL"), "RECORD_INVALID")).toBe("SERVER_UNAVAILABLE");
  });

  it("maps by status otherwise", () => {
    expect(errorCodeFor(error(null), "RECORD_INVALID")).toBe("SERVER_UNAVAILABLE");
    expect(errorCodeFor(error(401), "RECORD_INVALID")).toBe("UNAUTHORIZED");
    expect(errorCodeFor(error(403), "RECORD_INVALID")).toBe("FORBIDDEN");
    expect(errorCodeFor(error(404), "RECORD_INVALID")).toBe("NOT_FOUND");
    expect(errorCodeFor(error(413), "RECORD_INVALID")).toBe("PAYLOAD_TOO_LARGE");
    expect(errorCodeFor(error(429), "RECORD_INVALID")).toBe("SERVER_UNAVAILABLE");
    expect(errorCodeFor(error(502), "RECORD_INVALID")).toBe("SERVER_UNAVAILABLE");
    expect(errorCodeFor(error(422, "SOMETHING_NEW"), "RECORD_INVALID")).toBe("RECORD_INVALID");
  });
});
