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
/**
 * `MUTATION_TESTS=unit`: only the folder's own tests (the files below, each well under a
 * second) instead of the whole suite. Each mutant then costs seconds, not minutes, and the score
 * is a lower bound of the whole suite's (a mutant these kill, the suite kills). The README's
 * figures say which they are.
 */
const UNIT_TESTS = {
  // The files that import config/ themselves, minus the whole-stack syntheses and child processes.
  config: [
    "test/config/*.test.ts",
    "test/backup/{lifecycle,vault,vault-unlocked}.test.ts",
    "test/edge/{budget,config,images}.test.ts",
    "test/gateway/{gateway.component,runtime}.test.ts",
    "test/objectives/{judge,postgres-rows,seed-targets}.test.ts",
    "test/observability/{alarms,collector,config}.test.ts",
    "test/opensearch/{config,domain.component}.test.ts",
    "test/policies/{postgres,redis}.test.ts",
    "test/postgres/{config,contract}.test.ts",
    "test/redis/{config,redis.component,render}.test.ts",
    "test/stack/bad-config.test.ts",
    "test/workers/pool.component.test.ts",
  ],
  // The rules' own tests and the proofs over the real stacks (the mutation proof, objectives,
  // outputs: their stacks come from the synthesis cache, test/harness/synthesis-cache.ts), minus
  // the two that run the pack in a child process (the engine's load, the plan CLI): those run in
  // the whole-suite measurement.
  policies: [
    "test/policies/{backup,config,core,edge,kubernetes,opensearch,postgres,recovery,redis}.test.ts",
    "test/policies/{secrets,workloads,mutations,mutation-helpers,objectives,outputs,runner}.test.ts",
    "test/observability/policies.test.ts",
  ],
};
// A component: its area's tests, and the whole stacks, whose per-area suites (test/<area>/
// stack-suites.ts) check the component in place.
const WHOLE_STACKS = "test/stack/{primary,dr,dr-promoted}.test.ts";
for (const [area, tests] of Object.entries({
  backup: ["test/backup/*.test.ts"],
  // core is mostly used through other areas: the bucket by backup, objectives and cron by the
  // objective judge.
  core: ["test/core/*.test.ts", "test/objectives/*.test.ts", "test/backup/*.test.ts"],
  edge: ["test/edge/*.test.ts", "test/stack/edge-dr-unpaired.test.ts"],
  gateway: ["test/gateway/*.test.ts"],
  observability: ["test/observability/*.test.ts"],
  opensearch: ["test/opensearch/*.test.ts"],
  postgres: ["test/postgres/*.test.ts", "test/objectives/postgres-rows.test.ts"],
  redis: ["test/redis/*.test.ts"],
  region: ["test/stack/*.test.ts", "test/objectives/*.test.ts"],
  workers: ["test/workers/*.test.ts"],
  workload: ["test/{workers,gateway,workload}/*.test.ts"],
}))
  UNIT_TESTS[`components/${area}`] = [
    ...new Set([...tests, ...(process.env.MUTATION_TESTS === "own" ? [] : [WHOLE_STACKS])]),
  ];
/**
 * `MUTATION_TESTS=own`: for a components/ area, its own tests without the three whole stacks
 * (each synthesis costs seconds per mutant): a lower bound of the `unit` score, in a fraction of
 * its time.
 */
const ownTests = process.env.MUTATION_TESTS === "own";
const unitTests = process.env.MUTATION_TESTS === "unit" || ownTests;
// A file takes its folder's unit tests (config/edge.ts: config's; components/edge/dns.ts:
// components/edge's).
const unitFolder = (folder ?? "")
  .split("/")
  .slice(0, folder?.startsWith("components/") ? 2 : 1)
  .join("/");
if (unitTests && !UNIT_TESTS[unitFolder])
  throw new Error(
    `MUTATION_TESTS=unit needs MUTATION_FOLDER set to (a file under) one of: ${Object.keys(UNIT_TESTS).join(", ")}`,
  );
const slug =
  (folder ? folder.replace(/\.ts$/, "").replace(/\//g, "-") : "all") +
  (ownTests ? "-own" : unitTests ? "-unit" : "");
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
  ...(unitTests ? { testFiles: UNIT_TESTS[unitFolder] } : {}),
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
