import { mapArgoCdNotification } from "../argocd/map-argocd-notification.js";
import { mapCdEvent } from "../cdevents/map-cdevent.js";
import { mapGithubEvent } from "../github/map-github-event.js";
import { verifyGithubSignature } from "../github/verify-github-signature.js";
import { mapMlflowWebhook } from "../mlflow/map-mlflow-webhook.js";
import { verifyMlflowSignature } from "../mlflow/verify-mlflow-signature.js";
import type { HookReading } from "./hook-mapping.js";
import type { HookRequest } from "./hook-request.js";
import type { HookSettings, HookSource } from "./hook-settings.js";

/**
 * Checks a delivery's signature when its source signs and a secret is configured (before
 * reading anything else, so a forged delivery stores nothing), then reads it as attempt events.
 * Whether the request is authenticated otherwise (a bearer token) is the caller's concern:
 * `signed` says whether the signature did it.
 */
export function readHook(
  source: HookSource,
  request: HookRequest,
  settings: HookSettings,
): { readonly reading: HookReading; readonly signed: boolean } {
  const secret = settings.secrets[source];
  switch (source) {
    case "mlflow":
      if (secret !== undefined) verifyMlflowSignature(request, secret);
      return { reading: mapMlflowWebhook(request, settings.mlflow), signed: secret !== undefined };
    case "github":
      if (secret !== undefined) verifyGithubSignature(request, secret);
      return { reading: mapGithubEvent(request), signed: secret !== undefined };
    case "cdevents":
      return { reading: mapCdEvent(request), signed: false };
    case "argocd":
      return { reading: mapArgoCdNotification(request), signed: false };
  }
}
