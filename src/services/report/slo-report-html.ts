import type { SloReportJson } from "../../contract/slo-report-schema.js";

export function sloReportHtml(report: SloReportJson): string {
  return JSON.stringify(report);
}
