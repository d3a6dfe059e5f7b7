/** Why a delivery attempt failed, and whether trying again may help. */
export class DeliveryError extends Error {
  /** The receiver's HTTP status; null when it did not answer (network error, timeout). */
  readonly status: number | null;
  /** False for answers that will not change (400, 401, 404…): the delivery is given up. */
  readonly retryable: boolean;

  constructor(message: string, options: { status: number | null; retryable: boolean }) {
    super(message);
    this.name = "DeliveryError";
    this.status = options.status;
    this.retryable = options.retryable;
  }
}
