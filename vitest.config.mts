import { defineConfig } from "vitest/config";

// Pulumi's runtime state (mocks, config, stack) is global to a process: keep vitest's default
// per-file isolation so every test file synthesises in a fresh module graph.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", "./test/harness/summary-reporter.ts"],
  },
});
