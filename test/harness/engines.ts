/**
 * One rule for tests that need a real engine (promtool, redis-server, PostgreSQL, shellcheck):
 * outside CI a missing engine skips the suite visibly, named in its title; with CI=true it never
 * skips, so the suite runs and fails on the missing program.
 */
export const IN_CI = process.env.CI === "true";

export function engineSuite(
  title: string,
  missing: readonly string[],
  install: string,
): { skip: boolean; title: string } {
  const skip = missing.length > 0 && !IN_CI;
  return {
    skip,
    title: skip ? `${title} (SKIPPED: ${missing.join(", ")} missing; ${install})` : title,
  };
}
