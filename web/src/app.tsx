import { lazy, Suspense, useEffect, useState } from "react";
import { Loading } from "./components/status.js";
import { Link, NavigationProvider, useNavigation } from "./navigation.js";
import type { Page, ViewState } from "./route.js";
import { systemTheme, type Theme, ThemeContext } from "./theme.js";
import { OverviewPage } from "./views/overview-page.js";

// The overview ships in the first bundle; the other views (and uPlot) load when first opened.
const SloPage = lazy(() => import("./views/slo-page.js").then((m) => ({ default: m.SloPage })));
const AttemptPage = lazy(() =>
  import("./views/attempt-page.js").then((m) => ({ default: m.AttemptPage })),
);
const AuditPage = lazy(() =>
  import("./views/audit-page.js").then((m) => ({ default: m.AuditPage })),
);
const StagesPage = lazy(() =>
  import("./views/stages-page.js").then((m) => ({ default: m.StagesPage })),
);

/** Top-level sections, each with its Page kind in route.ts and a key to jump to it. */
const SECTIONS: { label: string; key: string; page: Page; matches: Page["kind"][] }[] = [
  {
    label: "Overview",
    key: "o",
    page: { kind: "overview" },
    matches: ["overview", "slo", "attempt"],
  },
  { label: "Stages", key: "s", page: { kind: "stages" }, matches: ["stages"] },
  { label: "Audit log", key: "a", page: { kind: "audit" }, matches: ["audit"] },
];

function Shell() {
  const { state, navigate } = useNavigation();
  const [system, setSystem] = useState<Theme>(systemTheme);
  const theme: Theme = state.theme ?? system;
  const [help, setHelp] = useState(false);

  useEffect(() => {
    const query = window.matchMedia?.("(prefers-color-scheme: dark)");
    const onChange = () => setSystem(systemTheme());
    query?.addEventListener("change", onChange);
    return () => query?.removeEventListener("change", onChange);
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      if (target !== null && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
      const section = SECTIONS.find((s) => s.key === event.key);
      if (section !== undefined) navigate({ page: section.page });
      else if (event.key === "t")
        navigate({ theme: theme === "dark" ? "light" : "dark" }, { replace: true });
      else if (event.key === "?") setHelp((shown) => !shown);
      else if (event.key === "Escape") setHelp(false);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate, theme]);

  return (
    <ThemeContext.Provider value={theme}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to={{ page: { kind: "overview" } }} className="brand" aria-label="deployslo overview">
          <span className="logo" aria-hidden="true" />
          deployslo
        </Link>
        <nav aria-label="Sections">
          {SECTIONS.map((section) => (
            <Link
              key={section.label}
              to={{ page: section.page }}
              aria-current={section.matches.includes(state.page.kind) ? "page" : undefined}
              aria-keyshortcuts={section.key}
            >
              {section.label}
            </Link>
          ))}
        </nav>
        <div className="topbar-end">
          <button
            type="button"
            className="icon-button"
            onClick={() => setHelp((shown) => !shown)}
            aria-label="Keyboard shortcuts"
            aria-keyshortcuts="?"
          >
            ?
          </button>
          <button
            type="button"
            className="icon-button theme-toggle"
            aria-label={`Switch to ${theme === "dark" ? "light" : "dark"} theme`}
            aria-keyshortcuts="t"
            onClick={() =>
              navigate({ theme: theme === "dark" ? "light" : "dark" }, { replace: true })
            }
          >
            {theme === "dark" ? "☀" : "☾"}
          </button>
        </div>
      </header>
      {help ? (
        <aside className="help" aria-label="Keyboard shortcuts">
          <strong>Keyboard</strong>
          <span>
            <kbd>o</kbd> overview · <kbd>s</kbd> stages · <kbd>a</kbd> audit log · <kbd>t</kbd>{" "}
            theme · <kbd>Tab</kbd> moves between links and controls · <kbd>Enter</kbd> opens ·{" "}
            <kbd>Esc</kbd> closes this
          </span>
        </aside>
      ) : null}
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading what="the page" />}>
          <PageView state={state} />
        </Suspense>
      </main>
    </ThemeContext.Provider>
  );
}

function PageView({ state }: { state: ViewState }) {
  const page = state.page;
  switch (page.kind) {
    case "overview":
      return <OverviewPage />;
    case "slo":
      return <SloPage name={page.name} key={page.name} />;
    case "attempt":
      return <AttemptPage id={page.id} key={page.id} />;
    case "stages":
      return <StagesPage />;
    case "audit":
      return <AuditPage />;
    case "unknown":
      return (
        <div className="notice notice-error" role="alert">
          There is no page at <code>{page.path}</code>.{" "}
          <Link to={{ page: { kind: "overview" } }}>Go to the overview</Link>.
        </div>
      );
  }
}

export function App() {
  return (
    <NavigationProvider>
      <Shell />
    </NavigationProvider>
  );
}
