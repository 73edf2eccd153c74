/**
 * One rule for tests that need a real engine (promtool, redis-server, PostgreSQL, shellcheck):
 * outside CI a missing engine skips the suite visibly, named in its title; with CI=true it never
 * skips, so the suite runs and fails on the missing program.
 */
export const IN_CI = process.env.CI === "true";

/**
 * VEGA_ENGINES=off (the mutation suite, vitest.mutation.config.mts) skips every engine check,
 * in CI too: mutation testing measures the pure tests, and its runner has no engines.
 * VEGA_ENGINES=promtool (a mutation run with VEGA_MUTATION_PROMTOOL=1) keeps promtool only: it
 * runs the rules in a second, where a Redis or PostgreSQL suite takes minutes.
 */
export const ENGINES_OFF =
  process.env.VEGA_ENGINES === "off" || process.env.VEGA_ENGINES === "promtool";
/** Whether the promtool checks are off too (VEGA_ENGINES=off). */
export const PROMTOOL_OFF = process.env.VEGA_ENGINES === "off";

export function engineSuite(
  title: string,
  missing: readonly string[],
  install: string,
): { skip: boolean; title: string } {
  if (ENGINES_OFF)
    return { skip: true, title: `${title} (SKIPPED: VEGA_ENGINES=${process.env.VEGA_ENGINES})` };
  const skip = missing.length > 0 && !IN_CI;
  return {
    skip,
    title: skip ? `${title} (SKIPPED: ${missing.join(", ")} missing; ${install})` : title,
  };
}
