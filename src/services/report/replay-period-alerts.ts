import type {
  SloReportAlertJson,
  SloReportIncidentJson,
} from "../../contract/slo-report-schema.js";
import { replayAlerts, stepInstants } from "../../core/alerting/replay-alerts.js";
import type { Attempt } from "../../core/attempt/attempt.js";
import { VerdictSeries } from "../../core/evaluation/verdict-series.js";
import { formatTimestamp } from "../../core/primitives/timestamp.js";
import type { Slo } from "../../core/spec/slo.js";
import { replayedIncidents } from "../replay-alert-files.js";
import type { ReportPeriod } from "./report-period.js";

/** Alerts start inactive this long before the period, so one already burning shows from its start. */
export const ALERT_WARM_UP_MS = 86_400_000;
/** The service's alert-evaluation interval, as `alerts replay` steps by default. */
export const ALERT_STEP_MS = 300_000;

export interface PeriodAlerts {
  /** `visible`: the SLO names the reader may see; the others are left out of each incident. */
  readonly incidents: (slo: string, visible: (name: string) => boolean) => SloReportIncidentJson[];
  readonly alerts: (slo: string) => SloReportAlertJson[];
}

/**
 * The service's alert round replayed over the period (as `deployslo alerts replay` does):
 * the incidents and the alert firings that overlap it, per SLO.
 */
export function replayPeriodAlerts(
  slos: readonly Slo[],
  attempts: readonly Attempt[],
  period: ReportPeriod,
  last: number,
): PeriodAlerts {
  const series = slos.map((slo) => ({ slo, series: VerdictSeries.of(slo, attempts, last) }));
  const replay = replayAlerts(
    series,
    stepInstants(period.from - ALERT_WARM_UP_MS, last, ALERT_STEP_MS),
  );
  const overlaps = (to: number | null) => to === null || to > period.from;
  const incidents = replayedIncidents(replay).filter((i) =>
    overlaps(i.to === null ? null : Date.parse(i.to)),
  );
  const episodes: (SloReportAlertJson & { slo: string; resolved: number | null })[] = [];
  const open = new Map<string, (typeof episodes)[number]>();
  for (const t of replay.transitions) {
    const key = `${t.slo}\u0000${t.alert}`;
    if (t.state === "firing") {
      const episode = {
        slo: t.slo,
        alert: t.alert,
        severity: t.severity,
        firedAt: formatTimestamp(t.at),
        resolvedAt: null,
        resolved: null,
      };
      episodes.push(episode);
      open.set(key, episode);
    } else if (t.state === "resolved") {
      const episode = open.get(key);
      if (episode === undefined) continue;
      episode.resolvedAt = formatTimestamp(t.at);
      episode.resolved = t.at;
      open.delete(key);
    }
  }
  return {
    incidents: (slo, visible) =>
      incidents
        .filter((i) => i.slos.includes(slo))
        .map(({ slo: opener, alert, slos: members, from, to, pages }) => ({
          slo: visible(opener) ? opener : null,
          alert: visible(opener) ? alert : null,
          slos: members.filter(visible),
          from,
          to,
          pages,
        })),
    alerts: (slo) =>
      episodes
        .filter((e) => e.slo === slo && overlaps(e.resolved))
        .map(({ alert, severity, firedAt, resolvedAt }) => ({
          alert,
          severity,
          firedAt,
          resolvedAt,
        })),
  };
}
