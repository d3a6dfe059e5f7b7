import { expect, it } from "vitest";
import type { Approval } from "../../src/core/policy/approval.js";
import type { NewAuditEntry } from "../../src/core/policy/audit-entry.js";
import { HOUR, T0 } from "../support/make-attempt.js";
import { describeDialect } from "./describe-dialect.js";
import { DIALECTS } from "./dialects.js";

function entry(fields: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return {
    at: T0,
    kind: "gate_decision",
    actor: "ci",
    model: "fraud-detector",
    environment: "production",
    version: "7",
    decision: "deny",
    slos: ["prod-deploys"],
    detail: {
      reasons: ["prod-deploys: frozen"],
      slos: [{ name: "prod-deploys", remainingRatio: -0.5 }],
    },
    ...fields,
  };
}

function approval(fields: Partial<Approval> = {}): Approval {
  return {
    id: "apr-1",
    approver: "alice",
    reason: "fix verified",
    model: "fraud-detector",
    environment: "production",
    version: null,
    grantedAt: T0,
    expiresAt: T0 + HOUR,
    ...fields,
  };
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("numbers audit entries in order and lists them newest first, with every field", async () => {
      const store = await db.open();
      const first = await store.appendAudit([entry(), entry({ decision: "allow", at: T0 + 1 })]);
      expect(first.map((e) => e.seq)).toEqual([1, 2]);
      const [third] = await store.appendAudit([entry({ kind: "exemption", version: null })]);
      expect(third?.seq).toBe(3);
      const all = await store.listAudit({ limit: 10 });
      expect(all.map((e) => e.seq)).toEqual([3, 2, 1]);
      expect(all[2]).toEqual({ ...entry(), seq: 1 });
      expect(all[0]?.version).toBeNull();
    });

    it("filters the audit log and pages on with before", async () => {
      const store = await db.open();
      await store.appendAudit([
        entry({ at: T0 }),
        entry({ at: T0 + 10, environment: "staging", decision: "allow" }),
        entry({ at: T0 + 20, kind: "approval", decision: null }),
        entry({ at: T0 + 30, model: "churn" }),
      ]);
      const seqs = async (filter: Parameters<typeof store.listAudit>[0]) =>
        (await store.listAudit(filter)).map((e) => e.seq);
      expect(await seqs({ limit: 10, kind: "approval" })).toEqual([3]);
      expect(await seqs({ limit: 10, environment: "staging" })).toEqual([2]);
      expect(await seqs({ limit: 10, model: "churn" })).toEqual([4]);
      expect(await seqs({ limit: 10, decision: "deny" })).toEqual([4, 1]);
      expect(await seqs({ limit: 10, from: T0 + 10, to: T0 + 30 })).toEqual([3, 2]);
      expect(await seqs({ limit: 2 })).toEqual([4, 3]);
      expect(await seqs({ limit: 2, before: 3 })).toEqual([2, 1]);
    });

    it("keeps the audit log across a reopen, and concurrent writers never share a seq", async () => {
      const a = await db.open();
      const b = await db.open();
      const writes = Array.from(
        { length: 10 },
        (_, i) => () => (i % 2 === 0 ? a : b).appendAudit([entry({ at: T0 + i })]),
      );
      // Two stores in one process cannot overlap on SQLite (one synchronous writer at a time);
      // PostgreSQL's replicas really race.
      if (db.dialect.name === "postgres") await Promise.all(writes.map((write) => write()));
      else for (const write of writes) await write();
      await a.close();
      const reopened = await db.open();
      const seqs = (await reopened.listAudit({ limit: 100 })).map((e) => e.seq);
      expect(seqs).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    });

    it("stores an approval with its audit entry, and lists those still valid", async () => {
      const store = await db.open();
      const written = await store.grantApproval(
        approval(),
        entry({ kind: "approval", decision: null, actor: "alice", detail: { id: "apr-1" } }),
      );
      expect(written).toMatchObject({ seq: 1, kind: "approval", actor: "alice" });
      await store.grantApproval(
        approval({ id: "apr-2", version: "8", grantedAt: T0 + 1, expiresAt: T0 + 2 * HOUR }),
        entry({ kind: "approval", decision: null }),
      );
      await store.grantApproval(
        approval({ id: "apr-3", environment: "staging" }),
        entry({ kind: "approval", decision: null }),
      );
      const active = await store.listApprovals({
        model: "fraud-detector",
        environment: "production",
        activeAt: T0 + HOUR,
      });
      expect(active).toEqual([
        approval({ id: "apr-2", version: "8", grantedAt: T0 + 1, expiresAt: T0 + 2 * HOUR }),
      ]);
      expect(
        (await store.listApprovals({ model: "fraud-detector", environment: "production" })).map(
          (a) => a.id,
        ),
      ).toEqual(["apr-2", "apr-1"]);
    });

    it("refuses an approval id given twice and writes neither it nor its audit entry", async () => {
      const store = await db.open();
      await store.grantApproval(approval(), entry({ kind: "approval", decision: null }));
      await expect(
        store.grantApproval(
          approval({ reason: "again" }),
          entry({ kind: "approval", decision: null }),
        ),
      ).rejects.toThrow();
      expect(await store.listAudit({ limit: 10 })).toHaveLength(1);
      expect((await store.listApprovals({}))[0]?.reason).toBe("fix verified");
    });
  });
}
