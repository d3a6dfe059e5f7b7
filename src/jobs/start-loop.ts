import type { Clock } from "../clock/clock.js";

export interface LoopTiming {
  /** Pause between rounds, ms. */
  readonly intervalMs: number;
  /** Longest pause after failed rounds, ms: pauses double from intervalMs up to this. */
  readonly maxBackoffMs: number;
}

export interface Loop {
  /** Aborts the round in flight's signal, wakes a pause, waits for the round, then cleans up. */
  stop(): Promise<void>;
}

export interface LoopSpec {
  readonly clock: Clock;
  readonly timing: LoopTiming;
  /** One round; resolves to the pause before the next, ms (0: more work waits, at once). */
  round(signal: AbortSignal): Promise<number>;
  /** A round threw; `failures` counts the failed rounds in a row. The loop goes on. */
  onError(error: unknown, failures: number): void;
  /** After the last round, when stopping: give up a lease, say. */
  onStop?(): Promise<void>;
}

/**
 * Runs `round` at once and then until stopped: after the pause each round asks for (0: at
 * once), and after doubling pauses from intervalMs (at most maxBackoffMs) while it fails.
 * The background jobs of `deployslo serve` (alert evaluation, notification delivery) run on it.
 */
export function startLoop(spec: LoopSpec): Loop {
  const controller = new AbortController();
  const { signal } = controller;
  const running = (async () => {
    let failures = 0;
    while (!signal.aborted) {
      let next = 0;
      try {
        next = await spec.round(signal);
        failures = 0;
      } catch (error) {
        failures++;
        spec.onError(error, failures);
      }
      if (signal.aborted) break;
      const { intervalMs, maxBackoffMs } = spec.timing;
      const pause = failures === 0 ? next : Math.min(maxBackoffMs, intervalMs * 2 ** failures);
      if (pause > 0) await spec.clock.sleep(pause, signal);
    }
  })();
  return {
    async stop() {
      controller.abort();
      await running;
      await spec.onStop?.();
    },
  };
}
