import type { Kysely } from "kysely";
import type { AlertNotification } from "../../core/notification/alert-notification.js";
import type { PolicyState } from "../../core/policy/budget-standing.js";
import type { PolicyStateRecord } from "../../core/policy/policy-state-record.js";
import type { SloPolicy } from "../../core/policy/slo-policy-state.js";
import { chunks } from "../chunks.js";
import { parseStoredJson } from "../parse-stored-json.js";
import type { Database } from "../schema.js";
import { wholeMillis } from "../whole-millis.js";

/** 6 parameters a row. */
const ROWS_PER_INSERT = 500;

/** Inserts or replaces policy states by SLO, and deletes those of `removed` SLOs. */
export async function savePolicyStates(
  db: Kysely<Database>,
  states: readonly PolicyStateRecord[],
  removed: readonly string[],
): Promise<void> {
  for (const chunk of chunks(removed, ROWS_PER_INSERT)) {
    await db.deleteFrom("policy_states").where("slo", "in", chunk).execute();
  }
  for (const chunk of chunks(states, ROWS_PER_INSERT)) {
    await db
      .insertInto("policy_states")
      .values(
        chunk.map((state) => ({
          slo: state.slo,
          state: state.state,
          since: wholeMillis(state.since, `policy state of ${state.slo}: since`),
          evaluated_at: wholeMillis(state.evaluatedAt, `policy state of ${state.slo}: evaluatedAt`),
          policy: JSON.stringify(state.policy),
          freeze: state.freeze === null ? null : JSON.stringify(state.freeze),
        })),
      )
      .onConflict((oc) =>
        oc.column("slo").doUpdateSet((eb) => ({
          state: eb.ref("excluded.state"),
          since: eb.ref("excluded.since"),
          evaluated_at: eb.ref("excluded.evaluated_at"),
          policy: eb.ref("excluded.policy"),
          freeze: eb.ref("excluded.freeze"),
        })),
      )
      .execute();
  }
}

/** Every stored policy state, by SLO name. */
export async function listPolicyStates(db: Kysely<Database>): Promise<PolicyStateRecord[]> {
  const rows = await db.selectFrom("policy_states").selectAll().orderBy("slo").execute();
  return rows.map((row) => ({
    slo: row.slo,
    state: row.state as PolicyState,
    since: Number(row.since),
    evaluatedAt: Number(row.evaluated_at),
    policy: parseStoredJson<SloPolicy>(row.policy, `policy state of ${row.slo}`),
    freeze:
      row.freeze === null
        ? null
        : parseStoredJson<AlertNotification>(row.freeze, `policy state of ${row.slo}: freeze`),
  }));
}
