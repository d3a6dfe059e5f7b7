import { useCallback, useEffect, useRef, useState } from "react";

const TOKEN_KEY = "deployslo.token";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function savedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

const early = new Map<string, Promise<unknown>>();

/** Starts a request before React mounts; the first getJson of the same path takes it over. */
export function prefetch(path: string): void {
  const pending = getJson(path);
  pending.catch(() => undefined);
  early.set(path, pending);
}

/** GET an API path; problems (RFC 9457) become ApiErrors carrying their detail. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const started = early.get(path);
  if (started !== undefined) {
    early.delete(path);
    return started as Promise<T>;
  }
  const token = savedToken();
  let response: Response;
  try {
    response = await fetch(path, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(`could not reach the deployslo server (${String(error)})`, 0);
  }
  const text = await response.text();
  if (!response.ok) {
    let detail = text.slice(0, 300);
    try {
      const problem = JSON.parse(text) as { detail?: string; title?: string };
      detail = problem.detail ?? problem.title ?? detail;
    } catch {
      // not a problem document: keep the text
    }
    throw new ApiError(`${response.status} from ${path.split("?")[0]}: ${detail}`, response.status);
  }
  return JSON.parse(text) as T;
}

export type Loadable<T> =
  | { state: "loading"; data?: T }
  | { state: "ready"; data: T }
  | { state: "error"; error: ApiError | Error; data?: T };

/** Loads `path` (null: nothing to load); with `pollMs`, reloads in the background. */
export function useApi<T>(path: string | null, pollMs?: number): Loadable<T> & { reload(): void } {
  const [value, setValue] = useState<Loadable<T>>({ state: "loading" });
  const [tick, setTick] = useState(0);
  const last = useRef<string | null>(null);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick forces a reload
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    if (last.current !== path) {
      last.current = path;
      setValue({ state: "loading" });
    }
    getJson<T>(path, controller.signal).then(
      (data) => setValue({ state: "ready", data }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setValue((previous) => ({
          state: "error",
          error: error instanceof Error ? error : new Error(String(error)),
          ...(previous.data === undefined ? {} : { data: previous.data }),
        }));
      },
    );
    return () => controller.abort();
  }, [path, tick]);

  useEffect(() => {
    if (pollMs === undefined || path === null) return;
    const timer = setInterval(() => setTick((n) => n + 1), pollMs);
    return () => clearInterval(timer);
  }, [pollMs, path]);

  return { ...value, reload };
}
