/** One config value feeds the alert rule and the dashboard line: change it and both move. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Panel } from "@grafana/grafana-foundation-sdk/dashboard";
import { alertDefinitions } from "../../components/observability/alerts";
import { isAlertingRule } from "../../components/observability/rule-types";
import { vegaRuleFile } from "../../components/observability/rules";
import { SYSTEM_OVERVIEW_UID, vegaDashboards } from "../../dashboards";
import { arbitraryThresholds } from "./support/arbitraries";
import { stackResolved, type ResolvedObservability } from "./support/configs";
import { panelsOf, stepValuesFor, targetsOf } from "./support/dashboard-model";

/** The primary stack's config with `vega-ha:observability` replaced, parsed as Pulumi would hand it over. */
const withObservability = (observability: unknown) =>
  stackResolved("primary", observability).config;

function alertExpr(o: ResolvedObservability, alert: string): string {
  return vegaRuleFile(o, "vega")
    .groups.flatMap((g) => g.rules)
    .filter(isAlertingRule)
    .find((r) => r.alert === alert)!.expr;
}

function panelSteps(o: ResolvedObservability, uid: string, title: string): number[] {
  const panel = vegaDashboards({ config: o, namespace: "vega" }).find((d) => d.uid === uid)!;
  const p = (panelsOf(panel) as Panel[]).find((x) => x.title === title)!;
  return stepValuesFor(p, targetsOf(p)[0]!.refId!);
}

describe("a threshold changed in stack config", () => {
  it("moves the p99 latency alert and the Latency Distribution line together", () => {
    const before = withObservability({});
    const after = withObservability({ thresholds: { queryLatencyP99Seconds: 7.5 } });

    expect(alertExpr(before, "VegaQueryLatencyP99High")).toContain(
      `p99_rate5m > ${before.thresholds.queryLatencyP99Seconds}\n`,
    );
    expect(panelSteps(before, SYSTEM_OVERVIEW_UID, "Latency Distribution")).toEqual([
      before.thresholds.queryLatencyP99Seconds,
    ]);

    expect(alertExpr(after, "VegaQueryLatencyP99High")).toContain("p99_rate5m > 7.5\n");
    expect(panelSteps(after, SYSTEM_OVERVIEW_UID, "Latency Distribution")).toEqual([7.5]);
  });

  it("moves a percentage the same way: 60 % cache hit rate is 0.6 in the rule and on the line", () => {
    const o = withObservability({ thresholds: { cacheHitRatePercent: 60 } });
    expect(alertExpr(o, "VegaCacheHitRateLow")).toMatch(/ratio_rate5m < 0\.6\n/);
    expect(panelSteps(o, SYSTEM_OVERVIEW_UID, "Cache hit rate")).toEqual([0.6]);
  });

  it("keeps every alert's rule and every line it draws on the same value, whatever the thresholds", () => {
    fc.assert(
      fc.property(arbitraryThresholds, (t) => {
        const o = withObservability({ thresholds: t });
        const panels = vegaDashboards({ config: o, namespace: "vega" }).flatMap(panelsOf);
        for (const def of alertDefinitions(o)) {
          const expr = alertExpr(o, def.name);
          expect(expr.split("\n")[0]).toBe(
            `${def.indicator} ${def.comparison} ${Number(def.threshold.toPrecision(12))}`,
          );
          const series = def.indicator.split("{")[0]!;
          const lines = panels.flatMap((p) =>
            targetsOf(p)
              .filter((q) => q.expr?.includes(series))
              .map((q) => stepValuesFor(p, q.refId!)),
          );
          expect(
            lines.some((steps) => steps.includes(def.threshold)),
            def.name,
          ).toBe(true);
        }
      }),
      { numRuns: 25 },
    );
  });
});
