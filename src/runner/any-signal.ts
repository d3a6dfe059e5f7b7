/**
 * A signal that aborts when any of `signals` does. Used instead of AbortSignal.any, whose
 * composite signals Node 20 can fail to abort once the sources are only weakly referenced.
 */
export function anySignal(signals: readonly AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
