import type { Attempt } from "../core/attempt/attempt.js";
import { timedOutAttempt } from "../core/evaluation/timed-out-attempt.js";
import type { Store } from "../store/store.js";
import type { SloEngine } from "./slo-engine.js";

/** In-progress attempts read a page at a time. */
const PAGE = 500;

export interface TimeOutContext {
  readonly store: Store;
  readonly engine: SloEngine;
}

/**
 * Records every stored attempt that is in progress past its in-progress timeout as of `at` as
 * `timed_out` (see timedOutAttempt), leaving any whose end was recorded meanwhile. Safe to run
 * on every replica at once: the write is conditional and gives the same record everywhere.
 * Returns the attempts ended.
 */
export async function timeOutAttempts(
  context: TimeOutContext,
  at: number,
): Promise<readonly Attempt[]> {
  const { store, engine } = context;
  const slos = engine.slos;
  const ended: Attempt[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listAttempts(
      { outcome: "in_progress", to: at },
      cursor === undefined ? { limit: PAGE } : { limit: PAGE, cursor },
    );
    const due: Attempt[] = [];
    for (const attempt of page.attempts) {
      const timedOut = timedOutAttempt(attempt, slos, at);
      if (timedOut !== undefined) due.push(timedOut);
    }
    const written = new Set(await store.replaceAttemptsInProgress(due));
    for (const attempt of due) if (written.has(attempt.id)) ended.push(attempt);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  if (ended.length > 0) await engine.refresh();
  return ended;
}
