import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** Debian's chromium package; never a downloaded browser. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Whether the browser suites run: they skip with how to install Chromium when it is missing,
 * except under CI (process.env.CI), where a missing browser is a failure.
 */
export function browserAvailability(
  executable: string = CHROMIUM,
  env: NodeJS.ProcessEnv = process.env,
): { run: boolean; reason: string } {
  if (existsSync(executable)) return { run: true, reason: "" };
  if (env.CI) {
    throw new Error(`${executable} is missing under CI: apt-get install chromium`);
  }
  return {
    run: false,
    reason: `browser tests skipped: ${executable} not found (install it with: apt-get install chromium)`,
  };
}

/** Chromium with a fresh profile directory (Playwright passes it as --user-data-dir). */
export async function launchChromium(
  options: { colorScheme?: "light" | "dark" } = {},
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "deployslo-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    deviceScaleFactor: 1,
    colorScheme: options.colorScheme ?? "light",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
