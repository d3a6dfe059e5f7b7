import type { Located } from "../../core/spec/located-yaml.js";
import { describeNode, fieldNode, type LocatedMap } from "../../core/spec/spec-fields.js";
import { type ImportContext, openSloMap, scalarText } from "./openslo-context.js";
import { parseShorthand } from "./openslo-duration.js";
import { CALENDAR_TIME_ZONE } from "./openslo-vocabulary.js";

const UTC_NAMES = [CALENDAR_TIME_ZONE, "Etc/UTC", "Etc/GMT", "GMT", "Z"];

/** `YYYY-MM-DD HH:MM:SS` as UTC epoch ms, or undefined. */
function startInstant(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0);
}

function calendarWindow(
  ctx: ImportContext,
  item: LocatedMap,
  path: string,
  duration: string,
): string | { calendar: string } | undefined {
  const calendar = openSloMap(
    fieldNode(item, "calendar"),
    `${path}.calendar`,
    ["startTime", "timeZone"],
    ctx,
  );
  const zone = scalarText(fieldNode(calendar, "timeZone"));
  const zoneNode = fieldNode(calendar, "timeZone") ?? item;
  if (zone !== undefined && !UTC_NAMES.includes(zone)) {
    ctx.report.error(
      zoneNode,
      `${path}.calendar.timeZone`,
      `deployslo's calendar periods are in UTC; ${zone} cannot be honoured`,
    );
    return undefined;
  }
  const unit = duration === "1M" ? "month" : duration === "1w" ? "week" : undefined;
  if (unit === undefined) {
    ctx.report.error(
      fieldNode(item, "duration") ?? item,
      `${path}.duration`,
      `a calendar window of ${duration} cannot be honoured: deployslo has calendar months (1M) and weeks (1w)`,
    );
    return undefined;
  }
  const startNode = fieldNode(calendar, "startTime");
  const start = startInstant(scalarText(startNode) ?? "");
  if (startNode !== undefined) {
    const date = start === undefined ? undefined : new Date(start);
    const aligned =
      date !== undefined &&
      date.getUTCHours() + date.getUTCMinutes() + date.getUTCSeconds() === 0 &&
      (unit === "month" ? date.getUTCDate() === 1 : date.getUTCDay() === 1);
    if (!aligned) {
      ctx.report.error(
        startNode,
        `${path}.calendar.startTime`,
        `deployslo's ${unit}s start ${unit === "month" ? "on the 1st" : "on Monday"} at 00:00 UTC; a period starting at ${describeNode(startNode)} cannot be honoured`,
      );
      return undefined;
    }
  }
  return { calendar: unit };
}

/**
 * `spec.timeWindow` as a deployslo window: rolling durations of m, h, d or w; calendar months
 * and weeks in UTC. `exact` (the deployslo/window annotation) wins for rolling windows.
 */
export function importWindow(
  ctx: ImportContext,
  node: Located | undefined,
  exact: string | undefined,
  at: Located,
): string | { calendar: string } | undefined {
  const path = "spec.timeWindow";
  if (node === undefined) {
    ctx.report.warning(at, path, "absent: imported with deployslo's default window, 30d rolling");
    return exact;
  }
  if (node.kind !== "seq" || node.items.length !== 1) {
    ctx.report.error(node, path, "must be a list of exactly one time window");
    return undefined;
  }
  const item = openSloMap(node.items[0], `${path}[0]`, ["duration", "isRolling", "calendar"], ctx);
  if (item === undefined) return undefined;
  const durationNode = fieldNode(item, "duration");
  const duration = scalarText(durationNode);
  if (durationNode === undefined || duration === undefined) {
    ctx.report.error(item, `${path}[0].duration`, "is required (e.g. 30d)");
    return undefined;
  }
  const rollingNode = fieldNode(item, "isRolling");
  const rolling =
    rollingNode?.kind === "scalar" ? rollingNode.value : fieldNode(item, "calendar") === undefined;
  if (rolling !== true) return calendarWindow(ctx, item, `${path}[0]`, duration);
  if (exact !== undefined) return exact;
  const parsed = parseShorthand(duration);
  if (!parsed.ok || !("ms" in parsed)) {
    ctx.report.error(
      durationNode,
      `${path}[0].duration`,
      parsed.ok
        ? `a rolling window of ${duration} has no fixed length: write it in days (e.g. 30d)`
        : parsed.reason,
    );
    return undefined;
  }
  return duration;
}
