import type { Store } from "../store/store.js";

export interface LeaseKeeping {
  readonly store: Store;
  readonly name: string;
  readonly owner: string;
  readonly leaseMs: number;
  /** How often to renew: a third of leaseMs leaves two renewals of slack. */
  readonly everyMs: number;
  readonly now: () => number;
}

/**
 * Renews `owner`'s lease every `everyMs` for as long as it holds it, independently of how long
 * the holder's work takes between two renewals: a replica that does its work every 30 s keeps a
 * lease of 10 s, so another replica takes over within seconds when this one dies. A renewal
 * never takes the lease (Store.renewLease); whoever acquires it starts holding it. Returns the
 * function that stops renewing.
 */
export function keepLease(keeping: LeaseKeeping): () => void {
  const { store, name, owner, leaseMs, now } = keeping;
  let busy = false;
  const timer = setInterval(() => {
    // A renewal slower than everyMs (a database outage) is not stacked up behind.
    if (busy) return;
    busy = true;
    store
      .renewLease({ name, owner, now: now(), leaseMs })
      // A failed renewal (the database is away) is retried by the next one; if the lease runs
      // out meanwhile, the commit's fence keeps this replica from writing.
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, keeping.everyMs);
  // The work the lease guards keeps the process alive, not the renewals.
  timer.unref();
  return () => clearInterval(timer);
}
