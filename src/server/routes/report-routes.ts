import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ProblemSchema } from "../../contract/problem-schema.js";
import { SloReportSchema } from "../../contract/slo-report-schema.js";
import { buildSloReport } from "../../services/build-slo-report.js";
import { visibleSlo } from "../../services/read-scope.js";
import { parseReportPeriod, previousMonth } from "../../services/report/report-period.js";
import { sloReportHtml } from "../../services/report/slo-report-html.js";
import { sloReportMarkdown } from "../../services/report/slo-report-markdown.js";
import type { ServerDeps } from "../server-deps.js";

/** GET /api/v1/reports: the monthly SLO report over the stored history (`deployslo report`). */
export function reportRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/reports",
    {
      schema: {
        summary: "A monthly SLO report: compliance, budget, burn alerts, slowest attempts, advice",
        description:
          'Each SLO the reader may see over one calendar month (docs/insight.md, "Monthly reports"). `format=markdown` and `format=html` answer the same report as text/markdown or as one self-contained text/html page instead of JSON.',
        tags: ["insight"],
        querystring: z.object({
          period: z
            .string()
            .optional()
            .meta({ description: "YYYY-MM (UTC); default: the month before now" }),
          slo: z.string().optional().meta({ description: "only this SLO" }),
          format: z.enum(["json", "markdown", "html"]).default("json"),
          slowest: z.coerce.number().int().min(0).max(100).default(5),
        }),
        response: {
          200: z.union([
            SloReportSchema,
            z.string().meta({ description: "format=markdown (text/markdown) or html (text/html)" }),
          ]),
          400: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const { scope } = deps.authorize(request, "read");
      const q = request.query;
      const period =
        q.period === undefined
          ? previousMonth(deps.clock.now())
          : parseReportPeriod(q.period, "period", "INVALID_REQUEST", deps.clock.now());
      if (q.slo !== undefined) visibleSlo(deps.engine, q.slo, scope);
      const report = await buildSloReport({
        ctx: deps,
        input: {
          slos: deps.engine.slos,
          source: { kind: "store", store: deps.store },
          period,
          slo: q.slo,
          slowest: q.slowest,
          scope,
        },
      });
      if (q.format === "markdown")
        return reply.type("text/markdown; charset=utf-8").send(sloReportMarkdown(report));
      if (q.format === "html")
        return reply.type("text/html; charset=utf-8").send(sloReportHtml(report));
      return report;
    },
  );
}
