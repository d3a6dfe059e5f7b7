import { Kysely, PostgresDialect, sql } from "kysely";
import { Pool, TypeOverrides } from "pg";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { writeAttemptRowsWithKysely } from "../repositories/attempts.js";
import type { Database } from "../schema.js";
import type { StoreDialect } from "../store-dialect.js";
import type { StoreLogger } from "../store-logger.js";
import { errorCode, storeUnavailable } from "../store-unavailable.js";

const INT8_OID = 20;
/** pg_advisory_xact_lock key held by every deployslo write transaction (any constant would do). */
const WRITERS_LOCK_KEY = 7_236_814_101_938_021;
const CONNECT_TIMEOUT_MS = 10_000;
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);
// SQLSTATE classes 08 (connection), 53 (resources), 57 (operator intervention, timeouts),
// 28 (authentication), 3D000 (no such database), 40001/40P01 (retry the transaction).
const UNAVAILABLE_SQLSTATE = /^(08|53|57|28)|^(3D000|40001|40P01)$/;
const UNAVAILABLE_MESSAGE =
  /connection terminated|timeout exceeded when trying to connect|not queryable|connection has been discarded/i;
/** What the server's pg_stat_activity shows for our connections, unless the URL names another. */
const APPLICATION_NAME = "deployslo";

/** Epoch ms and sequence numbers are far below 2^53: read int8 as a number, not a string. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new DeploysloError("INTERNAL", `PostgreSQL returned int8 ${text}, beyond 2^53`);
  }
  return value;
}

/** The URL without password or query, for messages. */
function describeUrl(url: URL): string {
  const user = url.username === "" ? "" : `${decodeURIComponent(url.username)}@`;
  const host = url.searchParams.get("host") ?? (url.host === "" ? "localhost" : url.host);
  return `postgres://${user}${host}${url.pathname}`;
}

/**
 * Connects a pg Pool to a postgres:// URL and checks that the server answers. The URL may carry
 * libpq-style parameters, e.g. `?options=-c%20search_path%3Ddeployslo` to use another schema.
 */
export async function openPostgres(location: string, logger?: StoreLogger): Promise<StoreDialect> {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    // The message must not echo the URL: it may hold a password.
    throw new DeploysloError(
      "STORE_UNAVAILABLE",
      "the PostgreSQL URL is not valid: expected postgres://user[:password]@host[:port]/database",
    );
  }
  const description = `PostgreSQL at ${describeUrl(url)}`;
  const types = new TypeOverrides();
  types.setTypeParser(INT8_OID, parseInt8);
  let pool: Pool;
  try {
    pool = new Pool({
      connectionString: location,
      types,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // libpq's rule: the URL's (or PGAPPNAME's) application_name wins over this one.
      fallback_application_name: APPLICATION_NAME,
    });
  } catch (error) {
    throw storeUnavailable(`cannot connect to ${description}`, error);
  }
  // An 'error' event without a listener crashes the process. The pool listens on idle clients
  // only; a checked-out client (mid-transaction, between two statements) emits 'error' when the
  // server ends the session (57P01 on restart or pg_terminate_backend). Its next query then
  // fails, the pool discards it, and the next checkout connects afresh.
  pool.on("error", (error) => {
    logger?.warn(
      { database: description, error: error.message },
      "store: idle PostgreSQL connection failed",
    );
  });
  pool.on("connect", (client) => {
    client.on("error", (error) => {
      logger?.warn(
        { database: description, error: error.message },
        "store: PostgreSQL connection failed",
      );
    });
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });

  let schema: string | null;
  try {
    const result = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
      db,
    );
    schema = result.rows[0]?.schema ?? null;
  } catch (error) {
    await db.destroy();
    throw storeUnavailable(`cannot connect to ${description}`, error);
  }
  if (schema === null) {
    await db.destroy();
    throw new DeploysloError(
      "STORE_UNAVAILABLE",
      `cannot use ${description}: no schema of the search_path exists; create it or set search_path`,
    );
  }

  return Object.freeze({
    name: "postgres",
    db,
    description,
    rowLocks: true,
    // Kysely looks for its migration tables in every schema unless told which one.
    migrationTableSchema: schema,
    writeAttemptRows: writeAttemptRowsWithKysely,
    async lockWriters(trx) {
      // Writers take turns, so a transaction that allocates seq N commits before any other
      // allocates N+1: a poller reading `seq > last` never sees a smaller seq commit later.
      // The cost is one writer at a time across all replicas (and all schemas of this
      // database); each write is one short batched transaction, and readers never wait.
      await sql`select pg_advisory_xact_lock(${sql.lit(WRITERS_LOCK_KEY)})`.execute(trx);
    },
    runExclusive(work) {
      // Kysely's PostgreSQL migrator already takes an advisory lock and a transaction.
      return work(db);
    },
    isUnavailable(error) {
      const code = errorCode(error);
      if (code !== undefined && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) {
        return true;
      }
      return error instanceof Error && UNAVAILABLE_MESSAGE.test(error.message);
    },
  } satisfies StoreDialect);
}
