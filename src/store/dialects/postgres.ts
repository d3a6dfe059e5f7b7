import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient, sql } from "kysely";
import { Pool, type PoolConfig, TypeOverrides } from "pg";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { writeAttemptRowsWithKysely } from "../repositories/attempts.js";
import { kyselyEventStatements } from "../repositories/event-statements.js";
import type { Database } from "../schema.js";
import type { StoreDialect } from "../store-dialect.js";
import type { StoreLogger } from "../store-logger.js";
import { errorCode, storeUnavailable } from "../store-unavailable.js";

const INT8_OID = 20;
/** pg_advisory_xact_lock key held by every deployslo write transaction (any constant would do). */
const WRITERS_LOCK_KEY = 7_236_814_101_938_021;
const CONNECT_TIMEOUT_MS = 10_000;
/** The longest a query may run unless told otherwise (`serve --query-timeout`). */
export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;
/**
 * How much longer than the server-side limit the driver waits for an answer before it gives the
 * query up: the server cancels a slow query itself; only a server that cannot answer at all (its
 * host gone, packets dropped) lets the driver's timer run out.
 */
const NETWORK_GRACE_MS = 5_000;
/** TCP keepalives on idle connections, so that a vanished host is noticed between queries. */
const KEEPALIVE_IDLE_MS = 10_000;
const ABANDONED = "Query read timeout";
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
  /connection terminated|timeout exceeded when trying to connect|not queryable|connection has been discarded|query read timeout/i;
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

/** How long a query may take; 0: no limit. */
export interface PostgresTimeouts {
  readonly queryTimeoutMs: number;
}

/**
 * The limits that keep a request from waiting on the database forever: PostgreSQL cancels a
 * statement (lock waits included) after `queryTimeoutMs` (57014, answered as 503), the driver
 * gives up a query the server never answers a little later, and a session left idle inside a
 * transaction (its client gone) is ended so that it releases its locks.
 */
function timeoutSettings({ queryTimeoutMs }: PostgresTimeouts): PoolConfig {
  if (queryTimeoutMs === 0) return {};
  return {
    statement_timeout: queryTimeoutMs,
    query_timeout: queryTimeoutMs + NETWORK_GRACE_MS,
    idle_in_transaction_session_timeout: queryTimeoutMs + NETWORK_GRACE_MS,
  };
}

/**
 * The pool as Kysely sees it. A client whose query the driver gave up (query_timeout) may still
 * be running that query on the server, and its later queries would queue behind it: such a
 * client fails every further query at once (a transaction's rollback included) and is
 * destroyed when released, never handed out again.
 */
function discardingAbandoned(pool: Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let abandoned = false;
      const query = (text: string, parameters: readonly unknown[]) => {
        if (abandoned)
          return Promise.reject(new Error(`${ABANDONED}: the connection was given up`));
        return client.query(text, [...parameters]).catch((error: unknown) => {
          if (error instanceof Error && error.message === ABANDONED) abandoned = true;
          throw error;
        });
      };
      return {
        // Kysely streams through a cursor only when its dialect is given one (this one is not),
        // so the string form is the only one called.
        query: query as unknown as PostgresPoolClient["query"],
        release: () => client.release(abandoned),
      };
    },
    end: () => pool.end(),
  };
}

/**
 * An 'error' event without a listener crashes the process. The pool listens on idle clients
 * only; a checked-out client (mid-transaction, between two statements) emits 'error' when the
 * server ends the session (57P01 on restart or pg_terminate_backend). Its next query then
 * fails, the pool discards it, and the next checkout connects afresh.
 */
function logConnectionErrors(pool: Pool, description: string, logger?: StoreLogger): void {
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
}

/**
 * Connects a pg Pool to a postgres:// URL and checks that the server answers. The URL may carry
 * libpq-style parameters, e.g. `?options=-c%20search_path%3Ddeployslo` to use another schema.
 */
export async function openPostgres(
  location: string,
  logger?: StoreLogger,
  timeouts: PostgresTimeouts = { queryTimeoutMs: DEFAULT_QUERY_TIMEOUT_MS },
): Promise<StoreDialect> {
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
  const base: PoolConfig = {
    connectionString: location,
    types,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MS,
    // libpq's rule: the URL's (or PGAPPNAME's) application_name wins over this one.
    fallback_application_name: APPLICATION_NAME,
  };
  let pool: Pool;
  try {
    pool = new Pool({ ...base, ...timeoutSettings(timeouts) });
  } catch (error) {
    throw storeUnavailable(`cannot connect to ${description}`, error);
  }
  logConnectionErrors(pool, description, logger);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: discardingAbandoned(pool) }),
  });

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
    countersLockWriters: false,
    eventStatements: kyselyEventStatements,
    transaction: (work) => db.transaction().execute(work),
    async lockWriters(trx) {
      // Writers take turns, so a transaction that allocates seq N commits before any other
      // allocates N+1: a poller reading `seq > last` never sees a smaller seq commit later.
      // The cost is one writer at a time across all replicas (and all schemas of this
      // database); each write is one short batched transaction, and readers never wait.
      await sql`select pg_advisory_xact_lock(${sql.lit(WRITERS_LOCK_KEY)})`.execute(trx);
    },
    async runExclusive(work) {
      // Kysely's PostgreSQL migrator already takes an advisory lock and a transaction. Migrations
      // run on a connection of their own without the query timeout: building an index on a
      // large table may take longer than any request should.
      const migrations = new Kysely<Database>({
        dialect: new PostgresDialect({ pool: new Pool({ ...base, max: 1 }) }),
      });
      try {
        return await work(migrations);
      } finally {
        await migrations.destroy();
      }
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
