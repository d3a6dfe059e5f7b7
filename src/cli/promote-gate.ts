import { ApiError } from "../client/api-client.js";
import type { Clock } from "../clock/clock.js";
import type { GateRequest } from "../core/policy/approval.js";
import type { Slo } from "../core/spec/slo.js";
import type { GateCheck } from "../runner/runner-types.js";
import { decidePromotionGate } from "../services/decide-promotion-gate.js";
import { SloEngine } from "../services/slo-engine.js";
import type { Store } from "../store/store.js";
import { apiClientFor } from "./api-client-for.js";
import type { CliIo } from "./cli-io.js";
import { estimateLine } from "./render-gate.js";

/** Who the audit log names for a gate decision `promote` asked for. */
const ACTOR = "deployslo promote";

export interface PromoteGateOptions {
  readonly server?: string;
  readonly token?: string;
  readonly timeoutSeconds: number;
  /** The SLO specs given with --config; empty: none. */
  readonly slos: readonly Slo[];
  /** The embedded store the promotion records to; undefined when recording to a server. */
  readonly store: Promise<Store> | undefined;
}

/** Asks a deployslo server, where approvals count and the decision is audited. */
function serverGate(
  request: GateRequest,
  options: PromoteGateOptions & { server: string },
  io: CliIo,
): () => Promise<GateCheck> {
  const client = apiClientFor(options.server, options.token, options.timeoutSeconds, io);
  return async () => {
    try {
      const answer = await client.postGate(request);
      return {
        decision: answer.decision,
        reasons: answer.reasons,
        where: client.baseUrl,
        estimate: estimateLine(answer.estimate),
      };
    } catch (error) {
      if (error instanceof ApiError)
        throw new Error(`${client.baseUrl}: ${error.message}`, { cause: error });
      throw error;
    }
  };
}

/**
 * Decides over the embedded store's history with the given SLO specs, as the service would;
 * the decision is written to the store's audit log and its approvals count.
 */
function storeGate(
  request: GateRequest,
  slos: readonly Slo[],
  opening: Promise<Store>,
  clock: Clock,
): () => Promise<GateCheck> {
  return async () => {
    // The store the promotion records to: a second connection could not migrate beside it.
    const store = await opening;
    const engine = new SloEngine(store, slos, clock);
    await engine.refresh();
    const { decision } = await decidePromotionGate({
      ctx: { store, engine, clock },
      input: { request, actor: ACTOR },
    });
    return {
      decision: decision.decision,
      reasons: decision.reasons,
      where: "the embedded store",
      estimate: estimateLine(decision.estimate ?? null),
    };
  };
}

/**
 * The gate `promote` asks before its first stage: the server's when recording to one, else
 * the embedded store's with --config's SLOs; undefined when there is nothing to decide with.
 */
export function promoteGate(
  request: GateRequest,
  options: PromoteGateOptions,
  clock: Clock,
  io: CliIo,
): (() => Promise<GateCheck>) | undefined {
  if (options.server !== undefined)
    return serverGate(request, { ...options, server: options.server }, io);
  if (options.slos.length === 0 || options.store === undefined) return undefined;
  return storeGate(request, options.slos, options.store, clock);
}
