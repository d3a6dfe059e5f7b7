import type { Attempt, Attributes } from "../attempt/attempt.js";

/**
 * The attribute keys that make up an environment fingerprint (docs/records.md#environment-fingerprint),
 * in the order they are shown.
 */
export const FINGERPRINT_KEYS = [
  "framework",
  "framework.version",
  "runtime",
  "runtime.version",
  "cuda.version",
  "driver.version",
  "image.digest",
  "hardware",
] as const;

export type FingerprintKey = (typeof FINGERPRINT_KEYS)[number];

/** What a serving fingerprint is compared with: the environment the model was validated or trained in. */
export const REFERENCES = ["validated", "trained"] as const;

export type Reference = (typeof REFERENCES)[number];

/** The fingerprint keys an attempt says something about, with their values as text. */
export type Fingerprint = Readonly<Partial<Record<FingerprintKey, string>>>;

function attributeValue(attempt: Attempt, name: string): string | undefined {
  const own = attempt.attributes[name];
  if (own !== undefined) return String(own);
  for (const stage of attempt.stages) {
    const value = (stage.attributes as Attributes)[name];
    if (value !== undefined) return String(value);
  }
  return undefined;
}

function fingerprintOf(attempt: Attempt, prefix: string): Fingerprint {
  const fingerprint: Partial<Record<FingerprintKey, string>> = {};
  for (const key of FINGERPRINT_KEYS) {
    const value = attributeValue(attempt, `${prefix}${key}`);
    if (value !== undefined) fingerprint[key] = value;
  }
  return fingerprint;
}

/**
 * Where the new version is served: each key from the attempt's own attributes, else from the
 * first stage (in record order) that carries it.
 */
export function servingFingerprint(attempt: Attempt): Fingerprint {
  return fingerprintOf(attempt, "");
}

/** The environment the model was validated (or trained) in: the same keys under `validated.` (`trained.`). */
export function referenceFingerprint(attempt: Attempt, reference: Reference): Fingerprint {
  return fingerprintOf(attempt, `${reference}.`);
}

/** `key=value` pairs in the documented key order, comma-separated; empty for no keys. */
export function fingerprintText(fingerprint: Fingerprint): string {
  const parts: string[] = [];
  for (const key of FINGERPRINT_KEYS) {
    const value = fingerprint[key];
    if (value !== undefined) parts.push(`${key}=${value}`);
  }
  return parts.join(", ");
}
