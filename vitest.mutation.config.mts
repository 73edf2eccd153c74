import { defineConfig } from "vitest/config";
import base from "./vitest.config.mjs";
import FastFirstSequencer from "./test/harness/fast-first-sequencer.mjs";

// The suite StrykerJS runs for `npm run test:mutation` (stryker.config.mjs): the whole suite
// minus what needs a real engine or tests no mutated folder.
// - test/live/: real PostgreSQL and Redis processes (minutes each; the renderers they exercise
//   are killed by the pure tests of the same output).
// - test/observability/promtool.test.ts, test/postgres/scripts.test.ts: promtool and shellcheck.
//   VEGA_ENGINES=off skips the remaining engine checks inside shared suites (engineSuite,
//   skipWithoutPromtool), so a runner without the engines (GitHub's, with CI=true) does not fail
//   the dry run.
// - test/ci/: the workflow files and their scripts (tools/ and .github/ are not mutated).
// The reporter turns the tests of a file whose top-level hook or import failed into failures, so
// such a mutant counts as killed (vitest 4 reports those tests as skipped: Stryker would count a
// survivor). test/harness/mutation-reporter.test.ts checks it.
// VEGA_MUTATION_PROMTOOL=1 (where promtool is installed) keeps the promtool checks: they run the
// rendered rules on data, so they judge the recording and alert expressions no pure test reads.
const withPromtool = process.env.VEGA_MUTATION_PROMTOOL === "1";
const test = {
  ...base.test,
  exclude: [
    "test/live/**",
    ...(withPromtool ? [] : ["test/observability/promtool.test.ts"]),
    "test/postgres/scripts.test.ts",
    "test/ci/**",
    "**/node_modules/**",
  ],
  // VEGA_SYNTHESIS_CACHE: a policy mutant reuses the stacks synthesised for the dry run
  // (test/harness/synthesis-cache.ts says when an entry is valid).
  env: { VEGA_ENGINES: withPromtool ? "promtool" : "off", VEGA_SYNTHESIS_CACHE: "1" },
  // After StrykerJS's own setup: hook-time coverage charged to the file's tests (see there).
  setupFiles: ["./test/harness/mutation-setup.ts"],
  // Fastest file first: a mutant's run ends at its first failing test (see there).
  sequence: { sequencer: FastFirstSequencer },
};

export default defineConfig({
  test: { ...test, reporters: ["./test/harness/mutation-reporter.ts"] },
  plugins: [
    {
      // StrykerJS starts vitest with pool "threads" (an override no config can change); Pulumi
      // serialises the dynamic providers' code with node:trace_events, which worker threads do
      // not have. Set back to "forks" once the project's config is resolved.
      name: "vega-mutation-forks",
      configureVitest({ project }) {
        project.config.pool = "forks";
      },
    },
  ],
});
