import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { prefetch } from "./api.js";
import { App } from "./app.js";
import { overviewApiPath, parseState } from "./route.js";
import "./styles.css";

const initial = parseState(window.location.pathname, window.location.search);
if (initial.page.kind === "overview") prefetch(overviewApiPath(initial));

const root = document.getElementById("root");
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
