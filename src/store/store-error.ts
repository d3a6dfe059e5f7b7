/**
 * What the store refuses, in its own words: the server and the CLI each turn it into their
 * error code once (an HTTP 400 INVALID_REQUEST, a USAGE exit), so the store never speaks a
 * transport's vocabulary.
 */
export type StoreErrorKind = "invalid-argument";

export class StoreError extends Error {
  readonly kind: StoreErrorKind;
  /** The argument at fault as the caller named it, e.g. `cursor` or `from`. */
  readonly argument: string;

  constructor(kind: StoreErrorKind, argument: string, message: string) {
    super(message);
    this.name = "StoreError";
    this.kind = kind;
    this.argument = argument;
  }
}
