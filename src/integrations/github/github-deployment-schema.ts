import { z } from "zod";
import { TimestampSchema } from "../../contract/timestamp-schema.js";
import { MAX_NAME } from "../../contract/wire-limits.js";

/** `deployment` of the deployment and deployment_status events (octokit/webhooks schemas). */
export const GithubDeploymentSchema = z.object({
  id: z.number().int(),
  sha: z.string().max(MAX_NAME).nullish(),
  ref: z.string().max(MAX_NAME).nullish(),
  task: z.string().max(MAX_NAME).nullish(),
  // An object, or the JSON string of one when the deployment was created with a string.
  payload: z.union([z.record(z.string(), z.unknown()), z.string()]).nullish(),
  environment: z.string().min(1).max(MAX_NAME),
  created_at: TimestampSchema,
});

export const GithubRepositorySchema = z.object({ full_name: z.string().min(1).max(MAX_NAME) });

/** The `deployment` event (deployment/created.schema.json). */
export const GithubDeploymentEventSchema = z.object({
  action: z.string(),
  deployment: GithubDeploymentSchema,
  repository: GithubRepositorySchema,
});

/** The `deployment_status` event (deployment_status/created.schema.json). */
export const GithubDeploymentStatusEventSchema = z.object({
  action: z.string(),
  deployment_status: z.object({
    id: z.number().int(),
    state: z.enum(["pending", "queued", "in_progress", "success", "failure", "error", "inactive"]),
    created_at: TimestampSchema,
    description: z.string().nullish(),
    target_url: z.string().nullish(),
    log_url: z.string().nullish(),
    environment_url: z.string().nullish(),
  }),
  deployment: GithubDeploymentSchema,
  repository: GithubRepositorySchema,
});
