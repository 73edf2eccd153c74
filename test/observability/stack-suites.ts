/** Observability as each real stack synthesises it; the stack test files run these. */
import { beforeAll, describe, expect, it } from "vitest";
import { stackOutputsSchema } from "../../config";
import { alertDefinitions } from "../../components/observability/alerts";
import { observabilityPlan, PROMETHEUS_RULE_TYPE } from "../../components/observability/plan";
import { DASHBOARD_UIDS } from "../../dashboards";
import { blocking, runPolicies } from "../../policies/runner";
import { examplePrimaryOutputs, type Synth } from "../harness";
import { defaultResolved } from "./support/configs";
import { runPromtool, skipWithoutPromtool } from "./support/promtool";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** The primary's own monitoring, and no replication alarms (those are the DR stack's). */
export function describeObservabilityInPrimary(get: () => Synth): void {
  let primary: Synth;
  beforeAll(() => {
    primary = get();
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
      expect(
        inside("kubernetes:core/v1:ConfigMap").filter(
          (c) => (c.inputs as any).metadata.labels.grafana_dashboard === "1",
        ),
      ).toHaveLength(3);
      expect(inside("vega:observability:AlertTopic")).toHaveLength(1);
      expect(inside("vega:observability:OtelCollector")).toHaveLength(1);
      expect(primary.one("aws:sns/topic:Topic").region).toBe("us-east-1");
    });

    it("watches its load balancer and target group, and no replication: that belongs to the DR stack", () => {
      const edge = primary.one("aws:lb/loadBalancer:LoadBalancer");
      const alarms = primary
        .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
        .map((a) => a.inputs as Record<string, any>);
      expect(alarms.length).toBeGreaterThan(0);
      expect(alarms.filter((a) => a.namespace === "AWS/S3")).toEqual([]);
      // The load balancer's alarms watch this stack's ALB (the database's are checked in test/postgres).
      const dimensions = alarms
        // The search domain's alarms (AWS/ES) are checked in test/opensearch.
        .filter((a) => a.namespace !== "AWS/ES")
        .filter((a) => a.namespace !== "AWS/RDS")
        .flatMap((a) => [
          a.dimensions,
          ...(a.metricQueries ?? []).map((q: any) => q.metric?.dimensions),
        ])
        .filter(Boolean);
      for (const d of dimensions)
        expect(d.LoadBalancer).toMatch(new RegExp(`^app/${(edge.inputs as any).name ?? ""}`));
      expect(
        alarms.every((a) => a.alarmActions[0] === primary.outputs.observability.alertTopicArn),
      ).toBe(true);
    });

    it("exports its alert topic for the DR stack's alarms in this region", () => {
      expect(primary.outputs.observability.alertTopicArn).toMatch(/^arn:aws:sns:us-east-1:\d{12}:/);
    });

    it("passes the policy pack", async () => {
      expect(blocking(await runPolicies(primary.resources))).toEqual([]);
    });

    it("summarises alerts and the collector for the pull request", () => {
      const [section] = observabilityPlan.sections!({
        stack: "primary",
        resources: primary.resources,
        outputs: primary.outputs,
      });
      expect(section!.title).toBe("Observability");
      expect(section!.markdown).toMatch(
        new RegExp(
          `\\*\\*Prometheus\\*\\*: ${alertDefinitions(defaultResolved()).length} alerts, \\d+ recording rules`,
        ),
      );
      expect(section!.markdown).toContain("HTTPCode_ELB_5XX_Count");
    });
  });
}

/** The DR stack's own monitoring, plus the backup replication alarms in both regions. */
export function describeObservabilityInDr(get: () => Synth): void {
  const primary = examplePrimaryOutputs();
  let dr: Synth;
  beforeAll(() => {
    dr = get();
  });
  const inputs = (r: { inputs: Record<string, unknown> }) => r.inputs as Record<string, any>;

  describe("DR stack observability", () => {
    it("has its own rules, dashboards, alert topic and collector in the DR region", () => {
      expect(dr.ofType(PROMETHEUS_RULE_TYPE)).toHaveLength(1);
      expect(dr.one("aws:sns/topic:Topic").region).toBe(dr.outputs.region);
      expect(dr.ofType("vega:observability:OtelCollector")).toHaveLength(1);
      expect(stackOutputsSchema.parse(dr.outputs).observability.alertTopicArn).toMatch(
        new RegExp(`^arn:aws:sns:${dr.outputs.region}:`),
      );
    });

    it("watches replication latency where S3 publishes it: the DR region, on the DR topic", () => {
      const latency = dr.one(ALARM, "-backup-replication-latency");
      expect(latency.region).toBe(dr.outputs.region);
      expect(inputs(latency).metricName).toBe("ReplicationLatency");
      expect(inputs(latency).alarmActions).toEqual([dr.outputs.observability.alertTopicArn]);
    });

    it("watches replication failures in the primary's region, on the primary's topic, kept on promotion", () => {
      const failures = dr.one(ALARM, "-backup-replication-failures");
      expect(failures.region).toBe(primary.region);
      expect(inputs(failures).metricName).toBe("OperationsFailedReplication");
      expect(inputs(failures).alarmActions).toEqual([primary.observability.alertTopicArn]);
      expect(failures.retainOnDelete).toBe(true);
    });

    it("names the buckets and the rule the replication configuration really uses", () => {
      const replication = inputs(dr.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig"));
      const drBucket = dr.outputs.backup.bucketName;
      const s3 = dr.ofType(ALARM).filter((a) => inputs(a).namespace === "AWS/S3");
      expect(s3).toHaveLength(2);
      for (const alarm of s3) {
        expect(inputs(alarm).dimensions).toEqual({
          SourceBucket: replication.bucket,
          DestinationBucket: drBucket,
          RuleId: replication.rules[0].id,
        });
      }
      expect(replication.bucket).toBe(primary.backup.bucketName);
    });

    it("passes the policy pack", async () => {
      const report = await runPolicies(dr.resources);
      expect(report.policies.map((p) => p.name)).toEqual(
        expect.arrayContaining([
          "vega-prometheusrule-release-label",
          "vega-alerts-actionable",
          "vega-sns-topic-encrypted",
          "vega-alarms-notify",
        ]),
      );
      expect(blocking(report)).toEqual([]);
    });

    it("writes the rule file, every dashboard and the collector config into the offline plan", () => {
      const ctx = { stack: "dr", resources: dr.resources, outputs: dr.outputs };
      const files = Object.fromEntries(
        observabilityPlan.artifacts!(ctx).map((a) => [a.path, a.content]),
      );
      expect(Object.keys(files).sort()).toEqual(
        [
          "otel/collector.yaml",
          "prometheus/rules.yaml",
          ...DASHBOARD_UIDS.map((u) => `dashboards/${u}.json`),
        ].sort(),
      );
      for (const uid of DASHBOARD_UIDS)
        expect(JSON.parse(files[`dashboards/${uid}.json`]!).uid).toBe(uid);
      const summary = observabilityPlan.sections!(ctx)
        .map((s) => s.markdown)
        .join("\n");
      expect(summary).toContain("VegaQueryLatencyP99High");
      expect(summary).toContain("OperationsFailedReplication");
      expect(summary).toContain("otlp/jaeger");
    });

    it.skipIf(skipWithoutPromtool())("writes a rule file promtool accepts", () => {
      const rules = observabilityPlan.artifacts!({
        stack: "dr",
        resources: dr.resources,
        outputs: dr.outputs,
      }).find((a) => a.path === "prometheus/rules.yaml")!;
      const run = runPromtool({ "rules.yaml": rules.content }, [
        "check",
        "rules",
        "--lint-fatal",
        "rules.yaml",
      ]);
      expect(run.code, run.output).toBe(0);
    });
  });
}
