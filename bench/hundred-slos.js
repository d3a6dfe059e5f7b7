// The 100 SLOs the service and status benchmarks evaluate: every model family, with and
// without an environment, both budgetings, rolling 7/30/90-day and calendar-month windows.
import { writeFileSync } from "node:fs";

export function writeHundredSlos(file) {
  const models = ["fraud-*", "churn-*", "llm-*", "image-*", "*"];
  const docs = [];
  for (let i = 0; i < 100; i++) {
    docs.push(
      [
        "apiVersion: deployslo/v1",
        "kind: SLO",
        `metadata: {name: slo-${i}}`,
        "spec:",
        `  selector: {model: "${models[i % 5]}"${i % 2 === 0 ? ", environment: production" : ""}}`,
        `  objective: {threshold: ${3 + (i % 7)}m, target: ${i % 4 === 0 ? "99.9%" : "95%"}}`,
        `  budgeting: ${i % 2 === 0 ? "occurrences" : "excess-time"}`,
        `  window: ${i % 3 === 2 ? "{calendar: month}" : `${[7, 30, 90][i % 3]}d`}`,
      ].join("\n"),
    );
  }
  writeFileSync(file, `${docs.join("\n---\n")}\n`);
  return file;
}
