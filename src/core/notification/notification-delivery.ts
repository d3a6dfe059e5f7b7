import type { DeliveryStatus } from "../../contract/delivery-status-schema.js";
import type { AlertNotification } from "./alert-notification.js";

/** `pending`: waiting for its first or next attempt; `delivered`; `dead`: given up. */
export type { DeliveryStatus };

/** One notification to one target, as the outbox holds it. */
export interface NotificationDelivery {
  readonly notification: AlertNotification;
  /** NotificationTarget name. */
  readonly target: string;
  readonly status: DeliveryStatus;
  /** Attempts made so far. */
  readonly attempts: number;
  /** When a pending delivery is due, epoch ms; null once delivered or dead. */
  readonly nextAttemptAt: number | null;
  /** Why the last attempt failed; null when it succeeded or none was made. */
  readonly lastError: string | null;
  /** HTTP status of the last failed attempt, when the target answered. */
  readonly lastStatus: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly deliveredAt: number | null;
}

/** What became of one claimed attempt, for Store.recordDeliveryOutcome. */
export type DeliveryOutcome =
  | {
      readonly kind: "delivered";
      readonly key: string;
      readonly target: string;
      readonly at: number;
    }
  | {
      readonly kind: "failed";
      readonly key: string;
      readonly target: string;
      readonly at: number;
      readonly error: string;
      readonly status: number | null;
      /** When to try again; null to give up (the delivery becomes `dead`). */
      readonly nextAttemptAt: number | null;
    };
