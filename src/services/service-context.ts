import type { Clock } from "../clock/clock.js";
import type { Random } from "../clock/random.js";
import type { Store } from "../store/store.js";
import type { ServiceLogger } from "./service-logger.js";
import type { SloEngine } from "./slo-engine.js";

/**
 * Everything a use case may touch besides its input, built once at start: by `deployslo serve`
 * (runService) for the HTTP API and the background loops, by the CLI for the commands that read
 * files (which have no store or engine). Time and randomness come only from here.
 */
export interface ServiceContext {
  readonly store: Store;
  readonly engine: SloEngine;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: ServiceLogger;
}

/**
 * The one argument of every use case: the parts `C` of the context it reads (so a test builds
 * only those) and its input.
 */
export interface UseCaseCall<C extends keyof ServiceContext, I> {
  readonly ctx: Pick<ServiceContext, C>;
  readonly input: I;
}
