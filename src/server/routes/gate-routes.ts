import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApprovalGrantedSchema } from "../../contract/approval-granted-schema.js";
import { ApprovalRequestSchema } from "../../contract/approval-request-schema.js";
import { ApprovalSchema } from "../../contract/approval-schema.js";
import { AuditEntrySchema } from "../../contract/audit-entry-schema.js";
import { AuditKindSchema } from "../../contract/audit-kind-schema.js";
import { ChangeTypeSchema } from "../../contract/change-type-schema.js";
import { FlaggerPayloadSchema } from "../../contract/flagger-payload-schema.js";
import { type GateAnswer, GateAnswerSchema } from "../../contract/gate-answer-schema.js";
import { GateDecisionSchema } from "../../contract/gate-decision-schema.js";
import { GateRequestSchema } from "../../contract/gate-request-schema.js";
import { InstantSchema } from "../../contract/instant-schema.js";
import { ProblemSchema } from "../../contract/problem-schema.js";
import type { GateRequest } from "../../core/policy/approval.js";
import { parseDuration } from "../../core/primitives/duration.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { formatTimestamp, parseTimestamp } from "../../core/primitives/timestamp.js";
import { CHANGE_TYPES, type ChangeType } from "../../core/spec/gate-policy.js";
import { decidePromotionGate, type GateOutcome } from "../../services/decide-promotion-gate.js";
import { grantApproval } from "../../services/grant-approval.js";
import { listAudit } from "../../services/list-audit.js";
import type { AuditFilter } from "../../store/store.js";
import { admitApproval } from "../scope-admits.js";
import type { ServerDeps } from "../server-deps.js";

function answer(outcome: GateOutcome): GateAnswer {
  return {
    decision: outcome.decision.decision,
    at: formatTimestamp(outcome.at),
    reasons: [...outcome.decision.reasons],
    slos: [...outcome.decision.slos],
    estimate: outcome.decision.estimate ?? null,
    auditSeq: outcome.audit.seq,
  };
}

function gateRequest(fields: {
  model: string;
  environment: string;
  version?: string | undefined;
  change?: ChangeType | undefined;
  labels?: Record<string, string> | undefined;
}): GateRequest {
  return {
    model: fields.model,
    environment: fields.environment,
    version: fields.version ?? null,
    change: fields.change ?? "normal",
    labels: fields.labels ?? {},
  };
}

function instant(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseTimestamp(value);
}

const GATE_DESCRIPTION =
  "Every SLO whose selector takes in the promotion decides by its `spec.policy`; any deny denies, else any approval requirement holds, else allow (docs/enforcement.md). Each decision is written to the audit log before it is answered.";

type Decide = (
  request: GateRequest,
  at: number | undefined,
  actor: string,
) => ReturnType<typeof decidePromotionGate>;

/** The gate's decision for a request, written to the audit log by the use case. */
function decider(deps: ServerDeps): Decide {
  return (request, at, actor) =>
    decidePromotionGate({
      ctx: deps,
      input: { request, actor, ...(at === undefined ? {} : { at }) },
    });
}

/** POST /api/v1/gate. */
function postGateRoute(app: FastifyInstance, deps: ServerDeps, decide: Decide): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    "/api/v1/gate",
    {
      schema: {
        summary: "Whether a promotion may go ahead under its SLOs' error budget policies",
        description: GATE_DESCRIPTION,
        tags: ["gate"],
        body: GateRequestSchema,
        response: { 200: GateAnswerSchema, 400: ProblemSchema },
      },
    },
    async (request) => {
      const actor = deps.authorize(request, "ingest");
      const { at, ...fields } = request.body;
      return answer(await decide(gateRequest(fields), instant(at), actor));
    },
  );
}

/** GET /api/v1/gate. */
function getGateRoute(app: FastifyInstance, deps: ServerDeps, decide: Decide): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    "/api/v1/gate",
    {
      schema: {
        summary: "The gate's decision, for Argo Rollouts' web metric provider",
        description: `${GATE_DESCRIPTION} Use \`jsonPath: "{$.decision}"\` and \`successCondition: result == "allow"\`.`,
        tags: ["gate"],
        querystring: z.object({
          model: z.string().min(1).max(256),
          environment: z.string().min(1).max(256),
          version: z.string().min(1).max(256).optional(),
          change: ChangeTypeSchema.default("normal"),
          at: InstantSchema.optional(),
        }),
        response: { 200: GateAnswerSchema, 400: ProblemSchema },
      },
    },
    async (request) => {
      const actor = deps.authorize(request, "ingest");
      const { at, ...fields } = request.query;
      return answer(await decide(gateRequest(fields), instant(at), actor));
    },
  );
}

/** POST /api/v1/gate/flagger. */
function flaggerGateRoute(app: FastifyInstance, deps: ServerDeps, decide: Decide): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    "/api/v1/gate/flagger",
    {
      schema: {
        summary: "Flagger webhook (confirm-rollout, pre-rollout): 200 to go on, 412 to hold",
        description: `${GATE_DESCRIPTION} The model is \`metadata.model\` (default: the canary's name), the environment \`metadata.environment\` (default: its namespace); \`metadata.version\` and \`metadata.change\` are optional.`,
        tags: ["gate"],
        body: FlaggerPayloadSchema,
        response: { 200: GateAnswerSchema, 400: ProblemSchema, 412: GateAnswerSchema },
      },
    },
    async (request, reply) => {
      const actor = deps.authorize(request, "ingest");
      const { name, namespace, metadata = {} } = request.body;
      const change = CHANGE_TYPES.find((type) => type === metadata.change);
      if (metadata.change !== undefined && change === undefined) {
        throw new DeploysloError(
          "INVALID_REQUEST",
          `metadata.change must be one of ${CHANGE_TYPES.join(", ")}, got "${metadata.change}"`,
        );
      }
      const outcome = await decide(
        gateRequest({
          model: metadata.model ?? name,
          environment: metadata.environment ?? namespace,
          version: metadata.version,
          change,
        }),
        undefined,
        actor,
      );
      return reply.code(outcome.decision.decision === "allow" ? 200 : 412).send(answer(outcome));
    },
  );
}

/** POST /api/v1/approvals. */
function grantApprovalRoute(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    "/api/v1/approvals",
    {
      schema: {
        summary: "Approve promotions of a model to an environment that a policy holds for approval",
        description:
          "Needs a token with the approve or admin role; the token's name is the approver. Written to the audit log.",
        tags: ["gate"],
        body: ApprovalRequestSchema,
        response: {
          201: ApprovalGrantedSchema,
          400: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const grant = deps.authorize.scoped(request, "approve");
      const approver = grant.name;
      const { model, environment, version, reason, validFor } = request.body;
      const refused = admitApproval(grant, { model, environment });
      if (refused !== undefined) {
        throw new DeploysloError("FORBIDDEN", `token "${approver}" may not approve: ${refused}`);
      }
      const duration = parseDuration(validFor);
      if (!duration.ok) throw new DeploysloError("INVALID_REQUEST", `validFor: ${duration.reason}`);
      const { approval, audit } = await grantApproval({
        ctx: deps,
        input: {
          approver,
          reason,
          model,
          environment,
          version: version ?? null,
          validForMs: duration.ms,
        },
      });
      return reply.code(201).send({
        id: approval.id,
        approver: approval.approver,
        expiresAt: formatTimestamp(approval.expiresAt),
        auditSeq: audit.seq,
      });
    },
  );
}

/** GET /api/v1/approvals. */
function listApprovalsRoute(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    "/api/v1/approvals",
    {
      schema: {
        summary: "Approvals still valid now (or every one, with all=true), newest first",
        tags: ["gate"],
        querystring: z.object({
          model: z.string().optional(),
          environment: z.string().optional(),
          all: z.enum(["true", "false"]).default("false"),
        }),
        response: { 200: z.object({ approvals: z.array(ApprovalSchema) }), 400: ProblemSchema },
      },
    },
    async (request) => {
      deps.authorize(request, "read");
      const { model, environment, all } = request.query;
      const approvals = await deps.store.listApprovals({
        ...(model === undefined ? {} : { model }),
        ...(environment === undefined ? {} : { environment }),
        ...(all === "true" ? {} : { activeAt: deps.clock.now() }),
      });
      return {
        approvals: approvals.map((a) => ({
          ...a,
          grantedAt: formatTimestamp(a.grantedAt),
          expiresAt: formatTimestamp(a.expiresAt),
        })),
      };
    },
  );
}

/** GET /api/v1/audit. */
function auditRoute(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    "/api/v1/audit",
    {
      schema: {
        summary: "The append-only audit log of gate decisions, exemptions and approvals",
        description:
          "Newest first. Page on with `before` set to the last entry's `seq`. Nothing in the API changes or deletes an entry.",
        tags: ["gate"],
        querystring: z.object({
          kind: AuditKindSchema.optional(),
          model: z.string().optional(),
          environment: z.string().optional(),
          decision: GateDecisionSchema.optional(),
          from: InstantSchema.optional(),
          to: InstantSchema.optional(),
          before: z.coerce.number().int().min(1).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: {
          200: z.object({
            entries: z.array(AuditEntrySchema),
            nextBefore: z.number().int().nullable(),
          }),
          400: ProblemSchema,
        },
      },
    },
    async (request) => {
      deps.authorize(request, "read");
      const { kind, model, environment, decision, from, to, before, limit } = request.query;
      const filter: { -readonly [K in keyof AuditFilter]: AuditFilter[K] } = { limit };
      if (kind !== undefined) filter.kind = kind;
      if (model !== undefined) filter.model = model;
      if (environment !== undefined) filter.environment = environment;
      if (decision !== undefined) filter.decision = decision;
      const fromMs = instant(from);
      const toMs = instant(to);
      if (fromMs !== undefined) filter.from = fromMs;
      if (toMs !== undefined) filter.to = toMs;
      if (before !== undefined) filter.before = before;
      const entries = await listAudit({ ctx: deps, input: filter });
      const last = entries[entries.length - 1];
      return {
        entries: entries.map((entry) => ({ ...entry, at: formatTimestamp(entry.at) })),
        nextBefore: entries.length === limit && last !== undefined ? last.seq : null,
      };
    },
  );
}

export function gateRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const decide = decider(deps);
  postGateRoute(app, deps, decide);
  getGateRoute(app, deps, decide);
  flaggerGateRoute(app, deps, decide);
  grantApprovalRoute(app, deps);
  listApprovalsRoute(app, deps);
  auditRoute(app, deps);
}
