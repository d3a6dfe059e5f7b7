// JSON over node:http for the local target's server and switch.

/** Request bodies larger than this are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** An HTTP error answered as `{"error": message}` with `status`. */
export class HttpError extends Error {
  name = "HttpError";
  /**
   * @param {number} status
   * @param {string} message
   */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * @param {import("node:http").ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
export function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Reads and parses a JSON request body.
 * @param {import("node:http").IncomingMessage} req
 * @returns {Promise<unknown>}
 * @throws {HttpError} 413 when too large, 400 when not JSON
 */
export async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(
      400,
      `the body is not valid JSON: ${error instanceof Error ? error.message : error}`,
    );
  }
}

/**
 * Stops `server` on SIGTERM or SIGINT: no new connections, idle ones closed, then exit 0.
 * @param {import("node:http").Server[]} servers
 */
export function stopOnSignals(servers) {
  const stop = () => {
    let open = servers.length;
    for (const server of servers) {
      server.close(() => {
        open--;
        if (open === 0) process.exit(0);
      });
      server.closeIdleConnections();
    }
    // A client holding a request open must not keep the process alive.
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
