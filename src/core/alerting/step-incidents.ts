import { type AlertNotification, incidentKey } from "../notification/alert-notification.js";
import type { Slo } from "../spec/slo.js";
import type { AlertRecord } from "./alert-record.js";
import { buildAlertNotification, resolvedFrom } from "./build-alert-notification.js";
import { selectorsOverlap } from "./selectors-overlap.js";

/**
 * One open incident: the pages of one SLO, and of SLOs over overlapping attempts that paged
 * while it was open, told as one notification. Persisted between evaluations.
 */
export interface IncidentRecord {
  /** Stable: the SLO that opened it and the instant it did (incidentKey). */
  readonly key: string;
  /** The SLO whose page opened it, and that page's most severe rule: what its notification names. */
  readonly slo: string;
  readonly alert: string;
  readonly startsAt: number;
  /** Every SLO that paged in it, in the order they joined. */
  readonly slos: readonly string[];
  /** Every page alert (`slo/alert`) that fired in it. */
  readonly alerts: readonly string[];
  /** The firing notifications sent for it (the first; then one per joining SLO with new targets). */
  readonly notified: readonly AlertNotification[];
}

/** What happened to an incident in a step. */
export interface IncidentTransition {
  readonly key: string;
  readonly state: "firing" | "joined" | "resolved";
  /** The SLO that opened it (firing), joined it (joined) or opened it (resolved). */
  readonly slo: string;
  readonly alert: string;
  readonly at: number;
  readonly slos: readonly string[];
  readonly alerts: readonly string[];
}

export interface IncidentStep {
  readonly incidents: IncidentRecord[];
  readonly transitions: IncidentTransition[];
  /** Page notifications: firing (to the targets of an opening or joining SLO) and resolved. */
  readonly notifications: AlertNotification[];
}

/** The page alerts of each SLO now firing, the most severe first (highest burn factor). */
function firingPages(slos: readonly Slo[], states: readonly AlertRecord[]): Map<string, string[]> {
  const firing = new Set(
    states
      .filter((s) => s.severity === "page" && s.state === "firing")
      .map((s) => `${s.slo}\u0000${s.alert}`),
  );
  const out = new Map<string, string[]>();
  for (const slo of slos) {
    const rules = slo.alerting.rules
      .filter((rule) => firing.has(`${slo.name}\u0000${rule.name}`))
      .sort((a, b) => b.factor - a.factor)
      .map((rule) => rule.name);
    if (rules.length > 0) out.set(slo.name, rules);
  }
  return out;
}

/** Whether `slo` may join `incident`: both group, and it overlaps one of its SLOs. */
function joins(slo: Slo, incident: IncidentRecord, byName: ReadonlyMap<string, Slo>): boolean {
  if (!slo.alerting.group) return false;
  return incident.slos.some((name) => {
    const member = byName.get(name);
    return (
      member !== undefined &&
      member.alerting.group &&
      selectorsOverlap(slo.selector, member.selector)
    );
  });
}

/**
 * One step of the incidents as of `at`, from the page alerts' states after this round's step
 * (`states`, every configured SLO's) and the incidents open before (`open`):
 *
 * - an incident none of whose SLOs has a page firing any more resolves (one resolve to every
 *   target its firing went to, naming all its SLOs);
 * - an SLO with a page firing that is in no open incident joins the first open one holding an
 *   SLO over overlapping attempts (both with `group` on): no new page, except to targets of
 *   its own the incident has not told yet;
 * - else it opens a new incident: one page, naming its most severe firing rule and listing
 *   the others.
 *
 * `adopt` gives, by SLO, firing page notifications sent before incidents existed: such an SLO
 * opens its incident silently around them, so an upgrade sends no second page.
 */
export function stepIncidents(
  slos: readonly Slo[],
  states: readonly AlertRecord[],
  open: readonly IncidentRecord[],
  at: number,
  atRiskOf: (slo: Slo) => readonly string[],
  adopt: ReadonlyMap<string, readonly AlertNotification[]> = new Map(),
): IncidentStep {
  const byName = new Map(slos.map((slo) => [slo.name, slo]));
  const pages = firingPages(slos, states);
  const step: IncidentStep = { incidents: [], transitions: [], notifications: [] };
  const member = new Map<string, IncidentRecord>();
  for (const incident of open) {
    if (!incident.slos.some((name) => pages.has(name))) {
      const why = incident.slos.some((name) => byName.has(name)) ? "condition" : "removed";
      for (const firing of incident.notified) {
        step.notifications.push(resolvedFrom(firing, at, why, incident.slos));
      }
      step.transitions.push({ ...transitionOf(incident, at), state: "resolved" });
      continue;
    }
    step.incidents.push(incident);
    for (const name of incident.slos) member.set(name, incident);
  }
  for (const slo of slos) {
    const rules = pages.get(slo.name);
    if (rules === undefined) continue;
    const current = member.get(slo.name);
    if (current !== undefined) {
      const index = step.incidents.indexOf(current);
      const alerts = [...new Set([...current.alerts, ...rules.map((r) => `${slo.name}/${r}`)])];
      if (alerts.length !== current.alerts.length) {
        const updated = { ...current, alerts };
        step.incidents[index] = updated;
        for (const name of updated.slos) member.set(name, updated);
      }
      continue;
    }
    const host = step.incidents.find((incident) => joins(slo, incident, byName));
    const joined =
      host === undefined
        ? openIncident(slo, rules, at, atRiskOf(slo), adopt.get(slo.name), step)
        : joinIncident(host, slo, rules, at, step);
    for (const name of joined.slos) member.set(name, joined);
  }
  return step;
}

function transitionOf(incident: IncidentRecord, at: number): Omit<IncidentTransition, "state"> {
  return {
    key: incident.key,
    slo: incident.slo,
    alert: incident.alert,
    at,
    slos: incident.slos,
    alerts: incident.alerts,
  };
}

function openIncident(
  slo: Slo,
  rules: readonly string[],
  at: number,
  atRisk: readonly string[],
  adopted: readonly AlertNotification[] | undefined,
  step: IncidentStep,
): IncidentRecord {
  const alerts = rules.map((rule) => `${slo.name}/${rule}`);
  const [legacy] = adopted ?? [];
  if (legacy !== undefined) {
    const incident: IncidentRecord = {
      key: legacy.incident ?? incidentKey(slo.name, legacy.startsAt),
      slo: slo.name,
      alert: legacy.alert,
      startsAt: legacy.startsAt,
      slos: [slo.name],
      alerts,
      notified: adopted ?? [],
    };
    step.incidents.push(incident);
    return incident;
  }
  const alert = rules[0] ?? "";
  const key = incidentKey(slo.name, at);
  const firing = buildAlertNotification(
    slo,
    { alert, severity: "page", state: "firing", at },
    at,
    atRisk,
    {
      key,
      slos: [slo.name],
      also: rules.slice(1),
    },
  );
  const incident: IncidentRecord = {
    key,
    slo: slo.name,
    alert,
    startsAt: at,
    slos: [slo.name],
    alerts,
    notified: [firing],
  };
  step.incidents.push(incident);
  step.notifications.push(firing);
  step.transitions.push({ ...transitionOf(incident, at), state: "firing" });
  return incident;
}

function joinIncident(
  host: IncidentRecord,
  slo: Slo,
  rules: readonly string[],
  at: number,
  step: IncidentStep,
): IncidentRecord {
  const slos = [...host.slos, slo.name];
  const told = new Set(host.notified.flatMap((n) => n.targets));
  const fresh = slo.alerting.notify.filter((target) => !told.has(target));
  const notified = [...host.notified];
  const [first] = host.notified;
  if (fresh.length > 0 && first !== undefined) {
    const annotations = { ...first.annotations, slos: slos.join(",") };
    const copy: AlertNotification = { ...first, targets: fresh, slos, annotations };
    notified.push(copy);
    step.notifications.push(copy);
  }
  const joined: IncidentRecord = {
    ...host,
    slos,
    alerts: [...host.alerts, ...rules.map((rule) => `${slo.name}/${rule}`)],
    notified,
  };
  step.incidents[step.incidents.indexOf(host)] = joined;
  step.transitions.push({
    ...transitionOf(joined, at),
    slo: slo.name,
    alert: rules[0] ?? "",
    state: "joined",
  });
  return joined;
}
