/**
 * How much one attempt record or event may hold. Without bounds a single valid record (200,000
 * labels, say) is stored, and every later read of it holds the event loop. `deployslo serve`
 * takes other values by flag (--max-labels and the like); files read by the CLI use these.
 */
export interface RecordLimits {
  /** Entries of `labels`. */
  readonly labels: number;
  /** Entries of one `attributes` object (the record's, a stage's, a dependency sample's). */
  readonly attributes: number;
  /** Items of `stages`. */
  readonly stages: number;
  /** Items of `dependencies`. */
  readonly dependencies: number;
}

export const DEFAULT_RECORD_LIMITS: RecordLimits = Object.freeze({
  labels: 64,
  attributes: 64,
  stages: 100,
  dependencies: 1000,
});

/** The longest id, name, version or label key, in UTF-16 code units. */
export const MAX_NAME = 256;
/** The longest label or attribute value. */
export const MAX_VALUE = 1024;
