/**
 * The recording rules (components/observability/recording.ts) by what each expression means:
 * container usage over the container's own limit, quantiles over per-service buckets, ratios
 * where a part never counted is 0. promtool runs them on data (test/observability/promtool.test.ts).
 */
import { describe, expect, it } from "vitest";
import { recordedSeries, recordingRuleGroups } from "../../components/observability/recording";
import { vegaRuleFile } from "../../components/observability/rules";
import { defaultResolved } from "./support/configs";

const thresholds = defaultResolved().thresholds;
const s = recordedSeries(thresholds);
const expr = (record: string) => {
  const rule = recordingRuleGroups(thresholds, "vega")
    .flatMap((g) => g.rules)
    .find((r) => "record" in r && r.record === record);
  expect(rule, record).toBeDefined();
  return rule!.expr;
};

describe("recording rules", () => {
  it.each([
    ["cpu", s.cpuUsage, "container_cpu_usage_seconds_total"],
    ["memory", s.memoryUsage, "container_memory_working_set_bytes"],
  ])(
    "%s usage: each container's use over its own limit, without pod-level and pause series",
    (resource, record, metric) => {
      const e = expr(record);
      const [usage, limit] = e.split(" / ");
      // cAdvisor reports the whole pod as container="" and the pause container as "POD".
      expect(usage).toContain(`${metric}{namespace="vega", container!="", container!="POD"}`);
      expect(usage).toMatch(/^sum by \(namespace, pod, container\) /);
      expect(limit).toBe(
        `sum by (namespace, pod, container) (kube_pod_container_resource_limits{namespace="vega", resource="${resource}"})`,
      );
    },
  );

  it("quantiles read the per-service buckets, le kept", () => {
    expect(expr(s.queryLatencyP99)).toBe(`histogram_quantile(0.99, ${s.queryLatencyBuckets})`);
    expect(expr(s.queryLatencyP50)).toBe(`histogram_quantile(0.5, ${s.queryLatencyBuckets})`);
    expect(expr(s.queryLatencyBuckets)).toBe(
      'sum by (namespace, service, le) (rate(vega_query_duration_seconds_bucket{namespace="vega"}[5m]))',
    );
  });

  it("a ratio counts a part that never counted as 0, not as missing", () => {
    expect(expr(s.queryErrorRatio)).toBe(
      `(${s.queryErrorRate} or ${s.queryRate} * 0) / ${s.queryRate}`,
    );
    expect(expr(s.queryRate)).toBe(
      'sum by (namespace, service) (rate(vega_queries_total{namespace="vega"}[5m]))',
    );
  });

  it("names each group once and each selector's metric (promtool refuses an empty or repeated group name)", () => {
    const groups = recordingRuleGroups(thresholds, "vega");
    const names = vegaRuleFile(defaultResolved(), "vega").groups.map((g) => g.name);
    expect(names).toEqual(expect.arrayContaining(groups.map((g) => g.name)));
    for (const name of names) expect(name).toMatch(/^vega\.[a-z]+(\.rules)?$/);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of groups.flatMap((g) => g.rules))
      // A selector without a metric name ({namespace="vega"}) would read every series.
      expect(rule.expr, "record" in rule ? rule.record : "").not.toMatch(/(^|[^a-zA-Z0-9_:])\{/);
  });
});
