import {
  type AnchorHTMLAttributes,
  createContext,
  type MouseEvent,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from "react";
import { parseState, stateUrl, type ViewState } from "./route.js";

interface Navigation {
  state: ViewState;
  /** Moves to a state (merged into the current one); `replace` for in-place tweaks. */
  navigate(next: Partial<ViewState>, options?: { replace?: boolean }): void;
  href(next: Partial<ViewState>): string;
}

const NavigationContext = createContext<Navigation | null>(null);

function current(): ViewState {
  return parseState(window.location.pathname, window.location.search);
}

export function NavigationProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<ViewState>(current);
  useEffect(() => {
    const onPop = () => setState(current());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const href = useCallback((next: Partial<ViewState>) => stateUrl({ ...state, ...next }), [state]);
  const navigate = useCallback(
    (next: Partial<ViewState>, options: { replace?: boolean } = {}) => {
      const merged = { ...state, ...next };
      const url = stateUrl(merged);
      if (options.replace) window.history.replaceState(null, "", url);
      else window.history.pushState(null, "", url);
      setState(parseState(window.location.pathname, window.location.search));
      if (!options.replace) window.scrollTo(0, 0);
    },
    [state],
  );
  const value = useMemo(() => ({ state, navigate, href }), [state, navigate, href]);
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): Navigation {
  const navigation = useContext(NavigationContext);
  if (navigation === null) throw new Error("useNavigation outside NavigationProvider");
  return navigation;
}

/**
 * "Now" for relative time ranges, fixed while the range stays the same, so that query URLs
 * are stable between renders (a new instant on every render would refetch forever).
 */
export function useRangeNow(): number {
  const { state } = useNavigation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed when the range changes
  return useMemo(
    () => Math.floor(Date.now() / 60_000) * 60_000,
    [state.range, state.from, state.to, state.page],
  );
}

/** An in-app link: a real href (open in new tab works), client-side on a plain click. */
export function Link({
  to,
  children,
  ...rest
}: { to: Partial<ViewState>; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const { href, navigate } = useNavigation();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={href(to)} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
