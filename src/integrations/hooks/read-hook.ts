import { mapArgoCdNotification } from "../argocd/map-argocd-notification.js";
import { mapCdEvent } from "../cdevents/map-cdevent.js";
import { mapGithubEvent } from "../github/map-github-event.js";
import { mapInferenceService } from "../kserve/map-inference-service.js";
import { mapMlflowWebhook } from "../mlflow/map-mlflow-webhook.js";
import type { HookReading } from "./hook-mapping.js";
import type { HookRequest } from "./hook-request.js";
import type { HookSettings, HookSource } from "./hook-settings.js";

/**
 * Reads a delivery as attempt events. Its authentication (the tool's signature, checked by
 * verifyHookSignature, or a bearer token) is the caller's, before this is called.
 */
export function readHook(
  source: HookSource,
  request: HookRequest,
  settings: HookSettings,
): HookReading {
  switch (source) {
    case "mlflow":
      return mapMlflowWebhook(request, settings.mlflow);
    case "github":
      return mapGithubEvent(request);
    case "cdevents":
      return mapCdEvent(request);
    case "argocd":
      return mapArgoCdNotification(request);
    case "kserve":
      return mapInferenceService(request);
  }
}
