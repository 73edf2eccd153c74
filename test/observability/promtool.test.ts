/**
 * The rules and dashboard queries, checked by the real promtool (Debian's prometheus package):
 * lint, unit tests generated from the thresholds, and a parse of every dashboard query.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { runbookUrl } from "../../components/observability/alerts";
import type { RuleFile } from "../../components/observability/rule-types";
import { renderRuleFile, vegaRuleFile } from "../../components/observability/rules";
import { vegaDashboards } from "../../dashboards";
import { promtoolTestFile } from "./support/alert-scenarios";
import { stackResolved, type ResolvedObservability } from "./support/configs";
import { interpolate, promQueries } from "./support/dashboard-model";
import { runPromtool, skipWithoutPromtool } from "./support/promtool";

/** The rule files the stack files produce; stacks whose rules come out identical are checked once. */
const RULE_FILES = (() => {
  const byContent = new Map<
    string,
    { stacks: string[]; config: ResolvedObservability; namespace: string; rules: RuleFile }
  >();
  for (const stack of ["primary", "dr"] as const) {
    const { config, namespace } = stackResolved(stack);
    const rules = vegaRuleFile(config, namespace);
    const key = JSON.stringify([config, namespace]);
    const seen = byContent.get(key);
    if (seen) seen.stacks.push(stack);
    else byContent.set(key, { stacks: [stack], config, namespace, rules });
  }
  return [...byContent.values()].map((f) => [f.stacks.join(" and "), f] as const);
})();

function unitTests(config: ResolvedObservability, namespace: string, rules: RuleFile) {
  const tests = promtoolTestFile(config, namespace, "rules.yaml", (name) =>
    runbookUrl(config.runbookBaseUrl, name),
  );
  return runPromtool(
    { "rules.yaml": renderRuleFile(rules), "tests.yaml": stringify(tests, { lineWidth: 0 }) },
    ["test", "rules", "tests.yaml"],
  );
}

describe.skipIf(skipWithoutPromtool())("promtool", () => {
  describe.each(RULE_FILES)(
    "the rule file of the %s stack",
    (_stacks, { config, namespace, rules }) => {
      it("passes `promtool check rules --lint-fatal`", () => {
        const run = runPromtool({ "rules.yaml": renderRuleFile(rules) }, [
          "check",
          "rules",
          "--lint-fatal",
          "rules.yaml",
        ]);
        expect(run.output).toContain("SUCCESS");
        expect(run.code, run.output).toBe(0);
      });

      it("passes unit tests: each alert fires only after its `for` past the threshold, never just inside it", () => {
        const run = unitTests(config, namespace, rules);
        expect(run.code, run.output).toBe(0);
        expect(run.output).toContain("SUCCESS");
      });
    },
  );

  it("the generated unit tests catch an alert that fires without waiting for its `for`", () => {
    const { config, namespace } = stackResolved("primary");
    const rules = vegaRuleFile(config, namespace);
    const hasty: RuleFile = {
      groups: rules.groups.map((g) => ({
        ...g,
        rules: g.rules.map((r) => ("alert" in r ? { ...r, for: "1m" } : r)),
      })),
    };
    const run = unitTests(config, namespace, hasty);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain("VegaQueryErrorRateHigh");
  });

  it("the generated unit tests catch a threshold that drifted from config", () => {
    const { config, namespace } = stackResolved("primary");
    const drifted = vegaRuleFile(
      {
        ...config,
        thresholds: { ...config.thresholds, syncLagSeconds: config.thresholds.syncLagSeconds * 2 },
      },
      namespace,
    );
    const run = unitTests(config, namespace, drifted);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain("VegaSyncLagHigh");
  });

  it("parses every PromQL query of every dashboard", () => {
    const queries = vegaDashboards(stackResolved("primary")).flatMap(promQueries);
    expect(queries.length).toBeGreaterThan(20);
    const file: RuleFile = {
      groups: [
        {
          name: "dashboard-queries",
          rules: queries.map((q) => ({
            record: `dashboard:${q.dashboard.replace(/-/g, "_")}_panel${q.panel}_${q.refId}:query`,
            expr: interpolate(q.expr),
          })),
        },
      ],
    };
    const run = runPromtool({ "queries.yaml": renderRuleFile(file) }, [
      "check",
      "rules",
      "queries.yaml",
    ]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`SUCCESS: ${queries.length} rules found`);
  });

  it("rejects a broken query, so the parse check has teeth", () => {
    const file: RuleFile = {
      groups: [
        {
          name: "broken",
          rules: [
            {
              record: "dashboard:broken:query",
              expr: interpolate("sum by (namespace (rate(vega_queries_total[$__rate_interval]))"),
            },
          ],
        },
      ],
    };
    const run = runPromtool({ "queries.yaml": renderRuleFile(file) }, [
      "check",
      "rules",
      "queries.yaml",
    ]);
    expect(run.code).not.toBe(0);
  });
});
