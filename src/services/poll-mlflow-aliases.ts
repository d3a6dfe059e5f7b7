import type { EventWriter } from "../ingest/event-writer.js";
import type { HookMapping } from "../integrations/hooks/hook-mapping.js";
import { stableId } from "../integrations/hooks/stable-id.js";
import type { AliasWatch, LookUpAlias } from "../integrations/mlflow/mlflow-registry-client.js";
import { aliasEnvironment, type MlflowSettings } from "../integrations/mlflow/mlflow-settings.js";
import type { Store } from "../store/store.js";
import type { KeyedQueue } from "./keyed-queue.js";
import { receiveHook } from "./receive-hook.js";

export type { AliasWatch, LookUpAlias, MlflowSettings };

/** What the poller remembers of an alias between rounds: its version, as of when. */
export interface SeenAlias {
  readonly version: string | undefined;
  readonly at: number;
}

/**
 * One round of the MLflow alias poller, the fallback for webhook deliveries MLflow lost (it
 * keeps none): reads each watched alias and, when it moved since the last round, records the
 * promotion as the webhook would, stamped with this round's time (the move happened since the
 * last round). A move the webhook already recorded (an attempt of that version started since
 * the last round) is left alone; so is, on the first round, a version that has any attempt.
 * Returns the attempts it started or joined.
 */
export async function pollMlflowAliases({
  ctx,
  input: { watches, settings, seen, lookUp, signal },
}: {
  readonly ctx: {
    readonly store: Store;
    readonly events: EventWriter;
    readonly hookQueue: KeyedQueue;
    readonly newId: () => string;
    readonly clock: { now(): number };
  };
  readonly input: {
    readonly watches: readonly AliasWatch[];
    readonly settings: MlflowSettings;
    readonly seen: Map<string, SeenAlias>;
    readonly lookUp: LookUpAlias;
    readonly signal: AbortSignal;
  };
}): Promise<string[]> {
  const recorded: string[] = [];
  for (const watch of watches) {
    const environment = aliasEnvironment(settings, watch.alias) ?? watch.alias;
    const version = await lookUp(watch, signal);
    const now = ctx.clock.now();
    const key = `${watch.model}@${watch.alias}`;
    const previous = seen.get(key);
    seen.set(key, { version, at: now });
    if (version === undefined || previous?.version === version) continue;
    const triple = { model: watch.model, version, environment };
    const since = previous === undefined ? undefined : previous.at;
    const earlier = await ctx.store.listAttempts(
      since === undefined ? triple : { ...triple, from: since },
      { limit: 100 },
    );
    if (earlier.attempts.length > 0) continue;
    const count = (await ctx.store.listAttempts(triple, { limit: 100 })).attempts.length;
    const mapping: HookMapping = {
      kind: "mapped",
      source: "mlflow",
      role: "promote",
      key: triple,
      at: now,
      origin: stableId("mlflow-poll", watch.model, watch.alias, version, count),
      start: {
        at: new Date(now).toISOString(),
        attributes: { source: "mlflow-poll", "mlflow.alias": watch.alias },
      },
      events: [],
    };
    const receipt = await receiveHook({ ctx, input: { reading: mapping } });
    if (receipt.attemptId !== null) recorded.push(receipt.attemptId);
  }
  return recorded;
}
