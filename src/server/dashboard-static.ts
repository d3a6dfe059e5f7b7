import { readFile } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { DeploysloError } from "../core/primitives/error-codes.js";

/** Where `npm run build` puts the dashboard (vite build → dist/web), next to dist/server. */
export const DASHBOARD_ROOT = fileURLToPath(new URL("../web", import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};
/** Paths that belong to the API and the operations endpoints, never to the dashboard. */
const NOT_DASHBOARD = /^\/(api|metrics|healthz|readyz)(\/|$)/;

async function readOrUndefined(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}

/**
 * Serves the built dashboard without a static-files plugin: files under `root` with their
 * content type, hashed assets (assets/) cached for a year, and index.html for every other GET
 * without a file extension (the dashboard's client routes). The files are public; the API
 * calls they make keep the server's token rules.
 */
export function dashboardStatic(app: FastifyInstance, root: string = DASHBOARD_ROOT): void {
  const base = resolve(root);
  app.get("/*", { schema: { hide: true } }, async (request, reply) => {
    const rawPath = request.url.split("?")[0] ?? "/";
    if (NOT_DASHBOARD.test(rawPath)) {
      throw new DeploysloError("NOT_FOUND", `no route GET ${rawPath}`);
    }
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      throw new DeploysloError("NOT_FOUND", `no file ${rawPath}`);
    }
    const extension = extname(path);
    if (extension === "") {
      const index = await readOrUndefined(resolve(base, "index.html"));
      if (index === undefined) {
        throw new DeploysloError(
          "NOT_FOUND",
          "the dashboard is not built: run `npm run build` (it writes dist/web)",
        );
      }
      return reply
        .type(TYPES[".html"] ?? "text/html")
        .header("cache-control", "no-cache")
        .send(index);
    }
    const file = resolve(base, `.${path}`);
    const type = TYPES[extension];
    const body =
      file.startsWith(base + sep) && !path.includes("\0") && type !== undefined
        ? await readOrUndefined(file)
        : undefined;
    if (body === undefined || type === undefined) {
      throw new DeploysloError("NOT_FOUND", `no file ${rawPath}`);
    }
    return reply
      .type(type)
      .header(
        "cache-control",
        path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      )
      .send(body);
  });
}
