/** The primary stack's observability, synthesised from Pulumi.primary.yaml. */
import { beforeAll, describe, expect, it } from "vitest";
import { defaultObservabilityConfig } from "../../config";
import { alertDefinitions } from "../../components/observability/alerts";
import { observabilityPlan, PROMETHEUS_RULE_TYPE } from "../../components/observability/plan";
import { blocking, runPolicies } from "../../policies/runner";
import { synthStack, type Synth } from "../harness";

let primary: Synth;
beforeAll(async () => {
  primary = await synthStack("primary");
});

describe("primary stack observability", () => {
  it("holds the PrometheusRule, the dashboards, the encrypted alert topic and the collector, all in its region", () => {
    const obs = primary.one("vega:observability:Observability");
    const under = (r: Synth["resources"][number]) => {
      for (let p = primary.parentOf(r); p; p = primary.parentOf(p)) if (p === obs) return true;
      return false;
    };
    const inside = (type: string) => primary.ofType(type).filter(under);
    expect(inside(PROMETHEUS_RULE_TYPE)).toHaveLength(1);
    expect(inside("kubernetes:core/v1:ConfigMap").filter((c) => (c.inputs as any).metadata.labels.grafana_dashboard === "1")).toHaveLength(3);
    expect(inside("vega:observability:AlertTopic")).toHaveLength(1);
    expect(inside("vega:observability:OtelCollector")).toHaveLength(1);
    expect(primary.one("aws:sns/topic:Topic").region).toBe("us-east-1");
  });

  it("has no replication alarms: replication into DR belongs to the DR stack", () => {
    expect(primary.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")).toHaveLength(0);
    expect(primary.ofType("vega:observability:CloudWatchAlarms")).toHaveLength(0);
  });

  it("exports its alert topic for the DR stack's alarms in this region", () => {
    expect(primary.outputs.observability.alertTopicArn).toMatch(/^arn:aws:sns:us-east-1:\d{12}:/);
  });

  it("passes the policy pack", async () => {
    expect(blocking(await runPolicies(primary.resources))).toEqual([]);
  });

  it("summarises alerts and the collector for the pull request", () => {
    const [section] = observabilityPlan.sections!({ stack: "primary", resources: primary.resources, outputs: primary.outputs });
    expect(section!.title).toBe("Observability");
    expect(section!.markdown).toMatch(new RegExp(`\\*\\*Prometheus\\*\\*: ${alertDefinitions(defaultObservabilityConfig()).length} alerts, \\d+ recording rules`));
    expect(section!.markdown).not.toContain("**CloudWatch**");
  });
});
