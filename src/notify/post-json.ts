import { DeliveryError } from "./delivery-error.js";

/** Statuses worth retrying: the receiver is busy, rate-limits or failed on its side. */
const RETRYABLE_STATUS = new Set([408, 425, 429]);
const MAX_BODY_IN_ERROR = 300;

export interface PostJson {
  readonly url: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? `${error.message} (${code})` : error.message;
}

/** The host of a URL, for messages: URLs of Slack and others carry secrets in their path. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(an invalid URL)";
  }
}

/**
 * POSTs a JSON body and resolves with the response text on a 2xx. Throws DeliveryError:
 * retryable on network errors, timeouts, 408, 425, 429 and 5xx; permanent on other answers.
 */
export async function postJson(request: PostJson): Promise<string> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const where = hostOf(request.url);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...request.headers },
      body: request.body,
      redirect: "manual",
      signal: AbortSignal.any([request.signal, timeout]),
    });
  } catch (error) {
    if (timeout.aborted) {
      throw new DeliveryError(`${where} did not answer within ${request.timeoutMs} ms`, {
        status: null,
        retryable: true,
      });
    }
    if (request.signal.aborted) {
      throw new DeliveryError(`delivery to ${where} stopped: shutting down`, {
        status: null,
        retryable: true,
      });
    }
    throw new DeliveryError(`cannot reach ${where}: ${describeFailure(error)}`, {
      status: null,
      retryable: true,
    });
  }
  let text = "";
  try {
    text = await response.text();
  } catch {
    // The status decides; a body cut short only loses detail for the message.
  }
  if (response.ok) return text;
  const status = response.status;
  const detail = text.trim().slice(0, MAX_BODY_IN_ERROR);
  const message = `${where} answered HTTP ${status}${detail === "" ? "" : `: ${detail}`}`;
  if (status >= 300 && status < 400) {
    throw new DeliveryError(`${message} (a redirect: configure the final URL)`, {
      status,
      retryable: false,
    });
  }
  throw new DeliveryError(message, {
    status,
    retryable: status >= 500 || RETRYABLE_STATUS.has(status),
  });
}
