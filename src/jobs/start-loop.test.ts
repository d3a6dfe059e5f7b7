import { describe, expect, it } from "vitest";
import type { Clock } from "../clock/clock.js";
import { startLoop } from "./start-loop.js";

/** A clock whose pauses return at once (yielding to the event loop), recording each length. */
function recordingClock() {
  const pauses: number[] = [];
  const clock: Clock = {
    now: () => 0,
    sleep: async (ms) => {
      pauses.push(ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return { clock, pauses };
}

const TIMING = { intervalMs: 10, maxBackoffMs: 50 };

function signalled() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve: () => resolve() };
}

describe("startLoop", () => {
  it("pauses as long as each round asks: at once while more work waits", async () => {
    const { clock, pauses } = recordingClock();
    const answers = [true, true, false, false, false];
    const pausedBefore: number[] = [];
    const done = signalled();
    const loop = startLoop({
      clock,
      timing: TIMING,
      round: async () => {
        pausedBefore.push(pauses.length);
        if (pausedBefore.length === answers.length) done.resolve();
        return answers[pausedBefore.length - 1] === true ? 0 : TIMING.intervalMs;
      },
      onError: () => undefined,
    });
    await done.promise;
    await loop.stop();
    expect(pausedBefore).toEqual([0, 0, 0, 1, 2]);
    expect(pauses.slice(0, 2)).toEqual([10, 10]);
  });

  it("doubles the pause while rounds fail, up to the cap, and resets after a success", async () => {
    const { clock, pauses } = recordingClock();
    const fails = [true, true, true, true, false, true, false];
    const failures: number[] = [];
    let rounds = 0;
    const done = signalled();
    const loop = startLoop({
      clock,
      timing: TIMING,
      round: async () => {
        const fail = fails[rounds++] ?? false;
        if (rounds === fails.length) done.resolve();
        if (fail) throw new Error("store down");
        return TIMING.intervalMs;
      },
      onError: (_error, count) => failures.push(count),
    });
    await done.promise;
    await loop.stop();
    expect(failures).toEqual([1, 2, 3, 4, 1]);
    expect(pauses.slice(0, 6)).toEqual([20, 40, 50, 50, 10, 20]);
  });

  it("stops: aborts the round's signal, waits for it, then cleans up once", async () => {
    const { clock } = recordingClock();
    const events: string[] = [];
    const started = signalled();
    const loop = startLoop({
      clock,
      timing: TIMING,
      round: async (signal) => {
        started.resolve();
        await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
        events.push("round ended");
        return 0;
      },
      onError: () => undefined,
      onStop: async () => {
        events.push("stopped");
      },
    });
    await started.promise;
    await loop.stop();
    expect(events).toEqual(["round ended", "stopped"]);
  });
});
