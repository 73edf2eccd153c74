// @ts-check
/**
 * `npm run test:mutation`: StrykerJS 9 (Node 20) with its vitest runner. README "Test strength"
 * has the scores and the commands; .github/workflows/mutation.yml runs it weekly, per folder.
 *
 * Mutated: config/, components/ (all of it: the harness synthesises components under recording
 * mocks, so their wiring — names, parents, dependsOn, safety values — is observable and tested
 * like the pure renderers) and policies/ (the rules; not `*.mutations.ts`, the pack's mutation
 * fixtures, which are test data that test/policies/mutations.test.ts consumes).
 * The suite is vitest.mutation.config.mts: everything but the engine tests (see there).
 * One folder or file at a time: `MUTATION_FOLDER=policies npm run test:mutation` (or
 * components/backup, config/edge.ts, ...): its reports are reports/mutation/<slug>.json and
 * reports/mutation-html/<slug>.html, its incremental file reports/stryker-incremental-<slug>.json,
 * so per-folder runs keep each other's results; `npm run mutation:scores` combines the JSON
 * reports into the per-folder table.
 */
const folder = process.env.MUTATION_FOLDER?.replace(/\/+$/, "");
const slug = folder ? folder.replace(/\.ts$/, "").replace(/\//g, "-") : "all";
const EXCLUDED = ["!policies/**/*.mutations.ts", "!**/*.d.ts"];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.mutation.config.mts" },
  mutate: [
    ...(folder
      ? [folder.endsWith(".ts") ? folder : `${folder}/**/*.ts`]
      : ["config/**/*.ts", "components/**/*.ts", "policies/**/*.ts"]),
    ...EXCLUDED,
  ],
  // Type errors in mutants are not looked for: tsc over this repo per mutant is too slow, and a
  // mutant the compiler rejects would be killed by the typecheck, not by a test.
  checkers: [],
  coverageAnalysis: "perTest",
  incremental: true,
  incrementalFile: `reports/stryker-incremental-${slug}.json`,
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: `reports/mutation/${slug}.json` },
  htmlReporter: { fileName: `reports/mutation-html/${slug}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  // Two cores shared with other work: callers pass --concurrency; 2 is the default here.
  concurrency: 2,
  // Synthesising a whole stack takes seconds under load.
  timeoutMS: 60_000,
  timeoutFactor: 2,
  // The dry run is the whole related suite in one process (about 4 min on an idle 2-core box).
  dryRunTimeoutMinutes: 30,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  thresholds: { high: 85, low: 70, break: null },
  ignorePatterns: ["reports", "out", ".vitest-tmp", "test/live"],
};
