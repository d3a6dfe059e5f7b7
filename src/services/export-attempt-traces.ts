import type { Attempt } from "../core/attempt/attempt.js";
import { attemptSpans, attemptsToOtlp } from "../integrations/otel/attempt-trace.js";
import { DeliveryError } from "../notify/delivery-error.js";
import { postJson } from "../notify/post-json.js";
import type { AttemptExportRecord } from "../store/store.js";
import type { ServiceContext } from "./service-context.js";

export const OTLP_EXPORTER = "otlp";
export const OTLP_EXPORT_LEASE = "otlp-export";
/** Attempt changes read per round. */
export const CHANGES_PER_ROUND = 200;
/** Spans per request: well under the 20 MiB request a receiver is recommended to take. */
export const SPANS_PER_REQUEST = 2_000;
/** The `deployslo.source` of attempts built from received spans: they are a trace already. */
const RECEIVED_FROM_OTLP = "otlp";

/** Where and how to export (serve --otlp-endpoint and friends), validated once at start. */
export interface OtlpExportConfig {
  /** The full URL of the receiver's trace path, e.g. http://collector:4318/v1/traces. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
  /** deployslo's version, as the instrumentation scope's. */
  readonly version: string;
  readonly timeoutMs: number;
}

export interface ExportRound {
  /** False when another replica holds the exporter's lease: it exports, this one waits. */
  readonly held: boolean;
  readonly exported: number;
  readonly rejected: number;
  /** More changes wait: run the next round at once. */
  readonly more: boolean;
}

const IDLE: ExportRound = Object.freeze({ held: true, exported: 0, rejected: 0, more: false });

function isToExport(attempt: Attempt): boolean {
  return (
    attempt.outcome !== "in_progress" &&
    attempt.attributes["deployslo.source"] !== RECEIVED_FROM_OTLP
  );
}

/**
 * The next slice of changes to look at: as many as fit in one request (at least one), and the
 * seq the cursor may move to once they are sent.
 */
async function nextBatch(
  ctx: Pick<ServiceContext, "store">,
  cursor: number,
): Promise<
  | { readonly attempts: readonly Attempt[]; readonly upTo: number; readonly more: boolean }
  | undefined
> {
  const changes = await ctx.store.changesSince(cursor, CHANGES_PER_ROUND);
  if (changes.length === 0) return undefined;
  const candidates = changes.filter((change) => isToExport(change.attempt));
  const done = await ctx.store.exportedAttempts(
    OTLP_EXPORTER,
    candidates.map((change) => change.attempt.id),
  );
  const attempts: Attempt[] = [];
  let spans = 0;
  let upTo = cursor;
  for (const change of changes) {
    if (isToExport(change.attempt) && !done.has(change.attempt.id)) {
      const count = attemptSpans(change.attempt).length;
      if (attempts.length > 0 && spans + count > SPANS_PER_REQUEST) {
        return { attempts, upTo, more: true };
      }
      attempts.push(change.attempt);
      spans += count;
    }
    upTo = change.seq;
  }
  return { attempts, upTo, more: changes.length >= CHANGES_PER_ROUND };
}

/** The receiver's partial-success message, when it rejected some spans. */
function partialSuccess(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as {
      partialSuccess?: { rejectedSpans?: unknown; errorMessage?: unknown };
    };
    const partial = body.partialSuccess;
    if (partial === undefined || Number(partial.rejectedSpans ?? 0) === 0) return undefined;
    return `${String(partial.rejectedSpans)} spans rejected: ${String(partial.errorMessage ?? "")}`;
  } catch {
    return undefined;
  }
}

/**
 * One round of the OTLP trace export (docs/opentelemetry.md, "Export"): under the exporter's
 * lease, reads the attempt changes after the persisted cursor, sends each finished attempt not
 * sent before as one trace, and records them with the new cursor in one transaction, so a
 * restart or a second replica does not send an attempt twice. A receiver that cannot be
 * reached, or answers anything but success or bad data, makes the round throw: nothing is
 * recorded and the loop retries with backoff. Bad data (400, 413) is recorded as rejected and
 * not sent again.
 */
export async function exportAttemptTraces({
  ctx,
  input: { config, owner, leaseMs, signal },
}: {
  readonly ctx: Pick<ServiceContext, "store" | "clock" | "logger">;
  readonly input: {
    readonly config: OtlpExportConfig;
    /** This process's name in the lease; unique per replica. */
    readonly owner: string;
    readonly leaseMs: number;
    readonly signal: AbortSignal;
  };
}): Promise<ExportRound> {
  const { store, clock, logger } = ctx;
  const now = clock.now();
  if (!(await store.acquireLease({ name: OTLP_EXPORT_LEASE, owner, now, leaseMs }))) {
    return { ...IDLE, held: false };
  }
  const batch = await nextBatch(ctx, await store.exportCursor(OTLP_EXPORTER));
  if (batch === undefined) return IDLE;
  let status: AttemptExportRecord["exports"][number]["status"] = "exported";
  let detail: string | null = null;
  if (batch.attempts.length > 0) {
    const body = JSON.stringify(
      attemptsToOtlp(batch.attempts, { serviceName: config.serviceName, version: config.version }),
    );
    try {
      const answer = await postJson({
        url: config.url,
        body,
        headers: config.headers,
        timeoutMs: config.timeoutMs,
        signal,
      });
      detail = partialSuccess(answer) ?? null;
      if (detail !== null) logger.warn({ detail }, "the OTLP receiver rejected some spans");
    } catch (error) {
      if (!(error instanceof DeliveryError) || (error.status !== 400 && error.status !== 413))
        throw error;
      status = "rejected";
      detail = error.message;
      logger.error(
        { attempts: batch.attempts.map((a) => a.id), error: error.message },
        "the OTLP receiver refused the traces as bad data; they are not sent again",
      );
    }
  }
  const recorded = await store.recordAttemptExports({
    exporter: OTLP_EXPORTER,
    lease: OTLP_EXPORT_LEASE,
    owner,
    cursor: batch.upTo,
    at: clock.now(),
    exports: batch.attempts.map((attempt) => ({ attemptId: attempt.id, status, detail })),
  });
  if (!recorded) return { ...IDLE, held: false };
  const sent = batch.attempts.length;
  return {
    held: true,
    exported: status === "exported" ? sent : 0,
    rejected: status === "rejected" ? sent : 0,
    more: batch.more,
  };
}
