import { systemClock } from "../clock/clock.js";
import { systemRandom } from "../clock/random.js";
import type { ServiceContext } from "../services/service-context.js";
import type { CliIo } from "./cli-io.js";

/**
 * The use cases' context for one CLI run, built once by buildProgram. Commands read files or
 * talk to a server, so there is no store or engine: `serve` builds the whole context itself.
 */
export type CliContext = Pick<ServiceContext, "clock" | "random">;

export function cliContext(io: CliIo): CliContext {
  return Object.freeze({
    clock: Object.freeze({ now: () => io.now(), sleep: systemClock.sleep }),
    random: systemRandom,
  });
}
