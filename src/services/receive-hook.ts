import type { AttemptEventInput } from "../contract/attempt-event-schema.js";
import type { Attempt } from "../core/attempt/attempt.js";
import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import type { RecordLimits } from "../core/attempt/record-limits.js";
import { outOfScope, type TokenScope } from "../core/policy/token-scope.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { textProblem } from "../core/primitives/text-problem.js";
import type { EventWriter } from "../ingest/event-writer.js";
import type { HookMapping, HookReading } from "../integrations/hooks/hook-mapping.js";
import type { Store } from "../store/store.js";
import { ingestEvents } from "./ingest-events.js";
import type { KeyedQueue } from "./keyed-queue.js";

export interface HookReceipt {
  readonly accepted: number;
  readonly duplicates: number;
  readonly attempts: number;
  /** The attempt the delivery was recorded on; null when it recorded nothing. */
  readonly attemptId: string | null;
  /** Why a well-formed delivery recorded nothing. */
  readonly ignored?: string;
}

async function latest(
  store: Store,
  filter: Parameters<Store["listAttempts"]>[0],
): Promise<Attempt | undefined> {
  return (await store.listAttempts(filter, { limit: 1 })).attempts[0];
}

/**
 * The attempt a delivery belongs to (docs/integrations.md, "Correlation"), and whether its
 * attempt.started goes with it.
 */
async function resolveAttempt(
  store: Store,
  mapping: HookMapping,
): Promise<{ attemptId: string; start: boolean }> {
  const { key } = mapping;
  const promote = mapping.role === "promote";
  if (mapping.attemptId !== undefined) {
    return { attemptId: mapping.attemptId, start: mapping.start !== undefined };
  }
  const base = {
    model: key.model,
    environment: key.environment,
    ...(key.version === undefined ? {} : { version: key.version }),
  };
  const open = await latest(store, { ...base, outcome: "in_progress" });
  if (open !== undefined) return { attemptId: open.id, start: promote };
  if (!promote) {
    const before = await latest(store, { ...base, to: mapping.at + 1 });
    if (before !== undefined) return { attemptId: before.id, start: false };
  }
  if (mapping.start === undefined || key.version === undefined) {
    throw new DeploysloError(
      "INVALID_REQUEST",
      `no attempt of model "${key.model}" in environment "${key.environment}" has started, and the delivery names no version to start one`,
      ["version: name the model version (docs/integrations.md), or send the promote event first"],
    );
  }
  // Another replica may be starting this key's attempt at this moment: the store settles which
  // delivery's attempt it is, so both join one.
  const owner = await store.claimCorrelation({
    model: key.model,
    environment: key.environment,
    version: key.version,
    attemptId: mapping.origin,
  });
  return { attemptId: owner.attemptId, start: promote || !owner.stored };
}

/** Refuses names no store can hold before they reach a lookup (PostgreSQL fails on NUL). */
function checkText(mapping: HookMapping): void {
  const { model, environment, version } = mapping.key;
  const fields = { model, environment, version, attemptId: mapping.attemptId };
  for (const [field, value] of Object.entries(fields)) {
    const problem = value === undefined ? undefined : textProblem(value);
    if (problem !== undefined) {
      throw new DeploysloError("INVALID_REQUEST", `${field} ${problem}`, [`${field}: ${problem}`]);
    }
  }
}

/**
 * Refuses, before any lookup or claim, a delivery that would start an attempt outside a scoped
 * token's scope; `admit` then checks the attempt it lands on, as for POST /api/v1/events.
 */
function checkScope(mapping: HookMapping, scope: TokenScope | undefined): void {
  if (scope === undefined || mapping.attemptId !== undefined) return;
  const { model, environment } = mapping.key;
  const reason = outOfScope(scope, { model, environment, labels: mapping.start?.labels ?? {} });
  if (reason !== undefined) {
    throw new DeploysloError(
      "FORBIDDEN",
      `the delivery's attempt is outside the token's scope; nothing was stored`,
      [`${model} in ${environment}: ${reason}`],
    );
  }
}

/**
 * Records a tool's delivery, read by its receiver (src/integrations), as attempt events: finds
 * its attempt (serialised per model and environment, so deliveries that arrive together agree),
 * then ingests the events like POST /api/v1/events: validated, checked against the sender's
 * scope (`scope`, `admit`), stored once by id, folded.
 */
export async function receiveHook({
  ctx,
  input: { reading, limits, scope, admit },
}: {
  readonly ctx: {
    readonly store: Store;
    readonly events: EventWriter;
    readonly hookQueue: KeyedQueue;
    readonly newId: () => string;
  };
  readonly input: {
    readonly reading: HookReading;
    readonly limits?: RecordLimits | undefined;
    /** The sender's scope (a scoped token's); undefined: any attempt. */
    readonly scope?: TokenScope | undefined;
    /** Refuses events the sender may not write (FORBIDDEN), as for POST /api/v1/events. */
    readonly admit?: ((events: readonly AttemptEvent[]) => Promise<void>) | undefined;
  };
}): Promise<HookReceipt> {
  if (reading.kind === "ignored") {
    return { accepted: 0, duplicates: 0, attempts: 0, attemptId: null, ignored: reading.reason };
  }
  const mapping = reading;
  checkText(mapping);
  checkScope(mapping, scope);
  const queueKey = `${mapping.key.model}\u0000${mapping.key.environment}`;
  return ctx.hookQueue.run(queueKey, async () => {
    const { attemptId, start } = await resolveAttempt(ctx.store, mapping);
    const values: AttemptEventInput[] = mapping.events.map(
      (event) => ({ ...event, attemptId }) as AttemptEventInput,
    );
    const { model, version, environment } = mapping.key;
    if (start && mapping.start !== undefined && version !== undefined && model && environment) {
      values.unshift({
        id: `${mapping.origin}:started`,
        type: "attempt.started",
        attemptId,
        at: mapping.start.at,
        model,
        version,
        environment,
        labels: mapping.start.labels ?? null,
        attributes: mapping.start.attributes ?? null,
      });
    }
    const result = await ingestEvents({
      ctx,
      input: {
        values: values.map((value, i) => ({ where: `event ${i + 1}`, value })),
        limits,
        admit,
      },
    });
    return { ...result, attemptId };
  });
}
