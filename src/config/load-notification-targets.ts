import type {
  NotificationTarget,
  ResolvedTarget,
} from "../core/notification/notification-target.js";
import { PAGERDUTY_EVENTS_URL } from "../core/notification/notification-target.js";
import {
  checkTargetSet,
  parseNotificationTargets,
} from "../core/notification/parse-notification-targets.js";
import type { Diagnostic } from "../core/spec/diagnostic.js";
import { loadConfigDocuments } from "./load-config-documents.js";

export interface LoadedTargets {
  readonly targets: readonly NotificationTarget[];
  /** Errors and warnings of every file, in file order. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads the `kind: NotificationTarget` documents of config files; unreadable files raise INPUT_UNREADABLE. */
export async function loadNotificationTargets(files: readonly string[]): Promise<LoadedTargets> {
  const { items, diagnostics } = await loadConfigDocuments(
    files,
    (text, file) => {
      const parsed = parseNotificationTargets(text, file);
      return { items: parsed.targets, diagnostics: parsed.diagnostics };
    },
    checkTargetSet,
  );
  return { targets: items, diagnostics };
}

export interface ResolvedTargets {
  readonly targets: ReadonlyMap<string, ResolvedTarget>;
  /** One error per environment variable that is missing or empty. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads every target's environment references from `env` (the service passes process.env once
 * at start). A missing variable is an error at the field that names it; the secret's value never
 * appears in a message.
 */
export function resolveNotificationTargets(
  targets: readonly NotificationTarget[],
  env: Readonly<Record<string, string | undefined>>,
): ResolvedTargets {
  const resolved = new Map<string, ResolvedTarget>();
  const diagnostics: Diagnostic[] = [];
  for (const target of targets) {
    let complete = true;
    const read = (ref: { env: string } | null, path: string): string | null => {
      if (ref === null) return null;
      const value = env[ref.env];
      if (value === undefined || value === "") {
        complete = false;
        diagnostics.push({
          severity: "error",
          file: target.source.file,
          line: target.source.line,
          column: 1,
          path,
          message: `notification target "${target.name}": environment variable ${ref.env} is not set`,
        });
        return null;
      }
      return value;
    };
    const url =
      target.url === null
        ? PAGERDUTY_EVENTS_URL
        : "url" in target.url
          ? target.url.url
          : read(target.url, "spec.url.env");
    if (url !== null && url !== "" && !/^https?:\/\//.test(url)) {
      complete = false;
      diagnostics.push({
        severity: "error",
        file: target.source.file,
        line: target.source.line,
        column: 1,
        path: "spec.url.env",
        message: `notification target "${target.name}": the URL in its environment variable must start with http:// or https://`,
      });
    }
    const common = {
      name: target.name,
      url: url ?? "",
      labels: target.labels,
      timeoutMs: target.timeoutMs,
      serviceUrl: target.serviceUrl,
    };
    let result: ResolvedTarget;
    if (target.type === "webhook") {
      result = { type: target.type, ...common, secret: read(target.secret, "spec.secret.env") };
    } else if (target.type === "pagerduty") {
      const routingKey = read(target.routingKey, "spec.routingKey.env");
      result = { type: target.type, ...common, routingKey: routingKey ?? "" };
    } else result = { type: target.type, ...common };
    if (complete && url !== null) resolved.set(target.name, Object.freeze(result));
  }
  return { targets: resolved, diagnostics };
}
