import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { parseAttemptEvent } from "../core/attempt/parse-attempt-event.js";
import { DEFAULT_RECORD_LIMITS, type RecordLimits } from "../core/attempt/record-limits.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { plural } from "../core/primitives/plural.js";
import type { EventWriter } from "../ingest/event-writer.js";
import { type DecodedSpan, decodeOtlpTraces } from "../integrations/otel/decode-otlp-traces.js";
import { spanEvents } from "../integrations/otel/span-events.js";
import { ingestEvents } from "./ingest-events.js";

export interface OtlpIngestResult {
  readonly spans: number;
  readonly rejectedSpans: number;
  /** Why spans were rejected, one line per problem (at most 20); empty when none were. */
  readonly problems: readonly string[];
  readonly accepted: number;
  readonly duplicates: number;
  readonly attempts: number;
}

const MAX_PROBLEMS = 20;

function spanName(span: DecodedSpan): string {
  return `${span.where} (span ${span.spanId} of trace ${span.traceId})`;
}

/** The events a span's values parse to, or the problems that refuse the span. */
function parsedSpan(
  values: readonly Record<string, unknown>[],
  limits: RecordLimits,
):
  | { readonly ok: true; readonly events: readonly AttemptEvent[] }
  | { readonly ok: false; readonly problems: readonly string[] } {
  const problems: string[] = [];
  const events: AttemptEvent[] = [];
  for (const value of values) {
    const parsed = parseAttemptEvent(value, () => String(value.id), limits);
    if (parsed.ok) events.push(parsed.event);
    else problems.push(...parsed.problems.map((p) => `${String(value.type)}: ${p}`));
  }
  return problems.length === 0 ? { ok: true, events } : { ok: false, problems };
}

/**
 * OTLP/HTTP trace ingest (POST /v1/traces): decodes the ExportTraceServiceRequest (bad data
 * refuses the request), turns each span into deployslo events (docs/opentelemetry.md), and
 * stores them with the event ingest use case, so spans fold into attempts by the same rules as
 * events and records and a span delivered twice is a duplicate. A span that cannot be read as
 * what it claims to be (a pipeline run without a model, say) is rejected alone, and the answer
 * says which and why (OTLP's partial success); when every span of a request is rejected the
 * request is refused as a whole (400). Other spans are acknowledged and ignored.
 */
export async function receiveOtlpTraces({
  ctx,
  input: { body, limits = DEFAULT_RECORD_LIMITS, admit },
}: {
  readonly ctx: { readonly events: EventWriter; readonly newId: () => string };
  readonly input: {
    readonly body: unknown;
    readonly limits?: RecordLimits | undefined;
    readonly admit?: ((events: readonly AttemptEvent[]) => Promise<void>) | undefined;
  };
}): Promise<OtlpIngestResult> {
  const spans = decodeOtlpTraces(body);
  const parsed: AttemptEvent[] = [];
  const problems: string[] = [];
  let rejectedSpans = 0;
  const reject = (span: DecodedSpan, reasons: readonly string[]) => {
    rejectedSpans++;
    for (const reason of reasons) {
      if (problems.length < MAX_PROBLEMS) problems.push(`${spanName(span)}: ${reason}`);
    }
  };
  for (const span of spans) {
    const mapped = spanEvents(span);
    if (mapped.kind === "ignored") continue;
    if (mapped.kind === "rejected") {
      reject(span, mapped.problems);
      continue;
    }
    const read = parsedSpan(mapped.events, limits);
    if (!read.ok) {
      reject(span, read.problems);
      continue;
    }
    parsed.push(...read.events);
  }
  if (rejectedSpans > 0 && rejectedSpans === spans.length) {
    throw new DeploysloError(
      "INVALID_REQUEST",
      `${plural(rejectedSpans, "span")} rejected; nothing was stored`,
      problems,
    );
  }
  const written =
    parsed.length === 0
      ? { accepted: 0, duplicates: 0, attempts: 0 }
      : await ingestEvents({ ctx, input: { values: [], parsed, limits, admit } });
  return { spans: spans.length, rejectedSpans, problems, ...written };
}
