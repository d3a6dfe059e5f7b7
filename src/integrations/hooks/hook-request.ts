/** A delivery as a receiver reads it: the raw body (signatures cover its bytes) and headers. */
export interface HookRequest {
  readonly rawBody: string;
  /** Lower-case header names, as Node gives them. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Epoch ms at receipt, for timestamp checks. */
  readonly now: number;
}

/** One header's value (the first, if repeated), or undefined. */
export function header(request: HookRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return typeof value === "string" ? value : value?.[0];
}

/** The body read as JSON, or undefined when it is not JSON. */
export function jsonBody(request: HookRequest): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(request.rawBody) };
  } catch {
    return { ok: false };
  }
}
