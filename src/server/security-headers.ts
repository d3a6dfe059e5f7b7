import type { FastifyInstance } from "fastify";

/**
 * The dashboard's policy: its own scripts, styles and API only (the favicon is a data: URL),
 * never inside a frame. The build has no inline scripts or styles, so none are allowed.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Everything else is data, not a page: it may load nothing and be framed by no one. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** The headers every response carries whatever it is, as `name: value` lines. */
export function securityHeaderLines(csp: string = API_CSP): string[] {
  return [
    "x-content-type-options: nosniff",
    "x-frame-options: DENY",
    "referrer-policy: no-referrer",
    `content-security-policy: ${csp}`,
  ];
}

/**
 * Headers on every response, dashboard and API alike: `nosniff` so a browser never runs a
 * JSON or text answer as a script or page, a Content-Security-Policy, and frame protection
 * (`X-Frame-Options` for browsers that predate `frame-ancestors`) against clickjacking.
 */
export function securityHeaders(app: FastifyInstance): void {
  app.addHook("onSend", async (_request, reply, payload) => {
    const html = String(reply.getHeader("content-type") ?? "").startsWith("text/html");
    for (const line of securityHeaderLines(html ? DASHBOARD_CSP : API_CSP)) {
      const colon = line.indexOf(": ");
      reply.header(line.slice(0, colon), line.slice(colon + 2));
    }
    return payload;
  });
}
