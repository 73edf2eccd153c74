/** The primary stack's observability, synthesised from Pulumi.primary.yaml. */
import { beforeAll, describe, expect, it } from "vitest";
import { alertDefinitions } from "../../components/observability/alerts";
import { observabilityPlan, PROMETHEUS_RULE_TYPE } from "../../components/observability/plan";
import { blocking, runPolicies } from "../../policies/runner";
import { synthStack, type Synth } from "../harness";
import { defaultResolved } from "./support/configs";

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

  it("watches its load balancer and target group, and no replication: that belongs to the DR stack", () => {
    const edge = primary.one("aws:lb/loadBalancer:LoadBalancer");
    const alarms = primary.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs as Record<string, any>);
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms.filter((a) => a.namespace === "AWS/S3")).toEqual([]);
    const dimensions = alarms.flatMap((a) => [a.dimensions, ...(a.metricQueries ?? []).map((q: any) => q.metric?.dimensions)]).filter(Boolean);
    for (const d of dimensions) expect(d.LoadBalancer).toMatch(new RegExp(`^app/${(edge.inputs as any).name ?? ""}`));
    expect(alarms.every((a) => a.alarmActions[0] === primary.outputs.observability.alertTopicArn)).toBe(true);
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
    expect(section!.markdown).toMatch(new RegExp(`\\*\\*Prometheus\\*\\*: ${alertDefinitions(defaultResolved()).length} alerts, \\d+ recording rules`));
    expect(section!.markdown).toContain("HTTPCode_ELB_5XX_Count");
  });
});
