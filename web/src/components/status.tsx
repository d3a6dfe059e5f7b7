import type { ReactNode } from "react";
import { ApiError, saveToken } from "../api.js";

export function Loading({ what }: { what: string }) {
  return (
    <div className="notice" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

/** Says what failed and what to do; a 401 offers to enter an API token. */
export function ErrorNotice({
  error,
  what,
  retry,
}: {
  error: Error;
  what: string;
  retry?: () => void;
}) {
  const needsToken = error instanceof ApiError && (error.status === 401 || error.status === 403);
  return (
    <div className="notice notice-error" role="alert">
      <strong>Could not load {what}.</strong> <span>{error.message}</span>
      {needsToken ? (
        <form
          className="token-form"
          onSubmit={(event) => {
            event.preventDefault();
            const input = new FormData(event.currentTarget).get("token");
            if (typeof input === "string" && input !== "") {
              saveToken(input);
              window.location.reload();
            }
          }}
        >
          <label>
            This server requires an API token with the <code>read</code> role:{" "}
            <input name="token" type="password" autoComplete="off" />
          </label>{" "}
          <button type="submit">Use token</button>
        </form>
      ) : retry === undefined ? null : (
        <button type="button" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

/** What to run to send the first attempt, with this server's address. */
export function FirstAttemptHelp() {
  const origin = typeof window === "undefined" ? "http://127.0.0.1:8080" : window.location.origin;
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  return (
    <>
      <p>Send the first attempt: a promote request and its first successful inference.</p>
      <pre className="code">{`curl -X POST ${origin}/api/v1/attempts \\
  -H 'content-type: application/json' \\
  -d '{"id":"first-1","model":"my-model","version":"1",
       "environment":"production","startedAt":"${now}",
       "servingAt":"${now}","outcome":"succeeded"}'`}</pre>
      <p className="muted">
        Or run <code>deployslo push</code> with a file of records, or start the server with{" "}
        <code>--sample-data</code> to see sample history.
      </p>
    </>
  );
}
