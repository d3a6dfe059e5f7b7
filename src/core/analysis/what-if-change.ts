import type { Attempt, Stage } from "../attempt/attempt.js";

/** A change to simulate: scale one stage's duration, or run stages side by side. */
export type WhatIfChange =
  | { readonly kind: "scale"; readonly stage: string; readonly factor: number }
  | { readonly kind: "parallel"; readonly stages: readonly string[] };

export type ChangeParse =
  | { readonly ok: true; readonly change: WhatIfChange }
  | { readonly ok: false; readonly reason: string };

const SCALE = /^stage:([^*]+)\*(\d+(?:\.\d+)?)$/;
const NAME = /^[^,\s]+$/;

/**
 * Parses `stage:NAME*FACTOR` (the stage takes FACTOR times as long; 0 removes it) or
 * `parallel:A,B[,…]` (the named stages start together instead of one after the other).
 */
export function parseChange(text: string): ChangeParse {
  const scale = SCALE.exec(text.trim());
  if (scale !== null) {
    const [, stage = "", factor = ""] = scale;
    return { ok: true, change: { kind: "scale", stage: stage.trim(), factor: Number(factor) } };
  }
  if (text.startsWith("parallel:")) {
    const stages = text
      .slice("parallel:".length)
      .split(",")
      .map((name) => name.trim());
    if (stages.length < 2 || !stages.every((name) => NAME.test(name)))
      return {
        ok: false,
        reason: `"${text}": parallel needs two or more stage names, e.g. parallel:validate,stage-artifacts`,
      };
    if (new Set(stages).size !== stages.length)
      return { ok: false, reason: `"${text}": a stage is named twice` };
    return { ok: true, change: { kind: "parallel", stages } };
  }
  return {
    ok: false,
    reason: `"${text}" is not a change: write stage:NAME*FACTOR (e.g. stage:stage-artifacts*0.5) or parallel:A,B`,
  };
}

interface Placed {
  readonly stage: Stage;
  readonly end: number;
  start: number;
  newStart: number;
  newEnd: number;
}

function factorOf(name: string, changes: readonly WhatIfChange[]): number {
  let factor = 1;
  for (const change of changes)
    if (change.kind === "scale" && change.stage === name) factor *= change.factor;
  return factor;
}

/** Where a stage or the end point moves: after its latest predecessor, keeping the gap. */
function after(predecessors: readonly Placed[], original: number): number {
  let latest = Number.NEGATIVE_INFINITY;
  let latestNew = Number.NEGATIVE_INFINITY;
  for (const p of predecessors) {
    latest = Math.max(latest, p.end);
    latestNew = Math.max(latestNew, p.newEnd);
  }
  return predecessors.length === 0 ? original : latestNew + (original - latest);
}

/**
 * The deployment duration (ms) an attempt that served would have had after `changes`, or null
 * for one that did not serve (a change does not turn a failure into a success). The recorded
 * stages carry no dependencies, so each stage is taken to wait for every stage that ended at or
 * before it started, and to start as long after the latest of them as it did; the end point
 * (servingAt) moves the same way, or with the stage it falls inside. `parallel:A,B` makes the
 * later of them start with the first, waiting only for what the first waited for. Only stages
 * that started before servingAt take part: nothing after it can move it.
 */
export function replayDurationMs(
  attempt: Attempt,
  changes: readonly WhatIfChange[],
): number | null {
  const endPoint = attempt.servingAt;
  if (endPoint === null) return null;
  const placed: Placed[] = attempt.stages
    .filter((s) => s.status !== "skipped" && s.endedAt !== null && s.startedAt < endPoint)
    .map((stage) => ({
      stage,
      start: stage.startedAt,
      end: stage.endedAt ?? stage.startedAt,
      newStart: 0,
      newEnd: 0,
    }))
    .sort((a, b) => a.start - b.start);
  const heads = new Map<string, Placed>();
  for (const change of changes) {
    if (change.kind !== "parallel") continue;
    const members = placed.filter((p) => change.stages.includes(p.stage.name));
    const head = members[0];
    if (head !== undefined)
      for (const member of members.slice(1)) heads.set(member.stage.name, head);
  }
  const predecessorsOf = (p: Placed) => placed.filter((q) => q !== p && q.end <= p.start);
  for (const p of placed) {
    const head = heads.get(p.stage.name);
    if (head !== undefined && head !== p && head.start <= p.start) {
      p.newStart = head.newStart;
    } else {
      p.newStart = after(predecessorsOf(p), p.start);
    }
    p.newEnd = p.newStart + (p.end - p.start) * factorOf(p.stage.name, changes);
  }
  const containing = placed.filter((p) => p.start < endPoint && p.end > endPoint);
  let newEndPoint: number;
  if (containing.length > 0) {
    newEndPoint = Number.NEGATIVE_INFINITY;
    for (const p of containing) {
      const into = (endPoint - p.start) * factorOf(p.stage.name, changes);
      newEndPoint = Math.max(newEndPoint, p.newStart + into);
    }
  } else {
    newEndPoint = after(
      placed.filter((p) => p.end <= endPoint),
      endPoint,
    );
  }
  return Math.max(0, Math.round(newEndPoint - attempt.startedAt));
}
