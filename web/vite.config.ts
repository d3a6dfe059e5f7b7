import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Built by `npm run build` into dist/web, which `deployslo serve` serves at /.
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    assetsDir: "assets",
    chunkSizeWarningLimit: 400,
  },
  logLevel: "warn",
});
