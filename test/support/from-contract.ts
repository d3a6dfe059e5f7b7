import type { AttemptEventJson } from "../../src/contract/attempt-event-schema.js";
import type { AttemptRecord } from "../../src/contract/attempt-record-schema.js";
import type { Attempt, Attributes } from "../../src/core/attempt/attempt.js";
import type { AttemptEvent } from "../../src/core/attempt/attempt-event.js";
import { parseTimestamp } from "../../src/core/primitives/timestamp.js";

/*
 * The meaning of a record and of an event, written from the contract alone: a value the schema
 * accepted, with the documented defaults applied and times read as epoch milliseconds. The
 * core's hand-written readers must produce exactly this.
 */

const NONE = Object.freeze({});

function ms(value: string): number {
  return parseTimestamp(value) ?? Number.NaN;
}

function optionalMs(value: string | null | undefined): number | null {
  return value === undefined || value === null ? null : ms(value);
}

function attributes(value: Attributes | null | undefined): Attributes {
  return value ?? NONE;
}

export function attemptFromRecord(record: AttemptRecord): Attempt {
  const servingAt = optionalMs(record.servingAt);
  return {
    id: record.id,
    model: record.model,
    version: String(record.version),
    environment: record.environment,
    labels: record.labels ?? NONE,
    startedAt: ms(record.startedAt),
    servingAt,
    endedAt: optionalMs(record.endedAt),
    outcome: record.outcome ?? (servingAt === null ? "in_progress" : "succeeded"),
    stages: (record.stages ?? []).map((stage) => {
      const endedAt = optionalMs(stage.endedAt);
      return {
        name: stage.name,
        startedAt: ms(stage.startedAt),
        endedAt,
        status: stage.status ?? (endedAt === null ? "in_progress" : "succeeded"),
        kind: stage.kind ?? "active",
        attributes: attributes(stage.attributes),
      };
    }),
    dependencies: (record.dependencies ?? []).map((sample) => ({
      name: sample.name,
      seconds: sample.seconds,
      at: optionalMs(sample.at),
      attributes: attributes(sample.attributes),
    })),
    attributes: attributes(record.attributes),
  };
}

export function attemptEventFromJson(
  event: AttemptEventJson,
  assignId: () => string,
): AttemptEvent {
  const head = { id: event.id ?? assignId(), attemptId: event.attemptId };
  switch (event.type) {
    case "attempt.started":
      return {
        ...head,
        type: event.type,
        at: ms(event.at),
        model: event.model,
        version: String(event.version),
        environment: event.environment,
        labels: event.labels ?? NONE,
        attributes: attributes(event.attributes),
      };
    case "stage.started":
      return {
        ...head,
        type: event.type,
        at: ms(event.at),
        stage: event.stage,
        kind: event.kind ?? "active",
        attributes: attributes(event.attributes),
      };
    case "stage.finished":
      return {
        ...head,
        type: event.type,
        at: ms(event.at),
        stage: event.stage,
        status: event.status ?? "succeeded",
        startedAt: optionalMs(event.startedAt),
        kind: event.kind ?? null,
        attributes: attributes(event.attributes),
      };
    case "attempt.serving":
      return { ...head, type: event.type, at: ms(event.at) };
    case "attempt.finished":
      return { ...head, type: event.type, at: ms(event.at), outcome: event.outcome };
    case "dependency.measured":
      return {
        ...head,
        type: event.type,
        at: optionalMs(event.at),
        name: event.name,
        seconds: event.seconds,
        attributes: attributes(event.attributes),
      };
  }
}
