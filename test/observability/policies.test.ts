/** The observability rules of the policy pack catch what they are meant to, and pass the real rules. */
import { describe, expect, it } from "vitest";
import { vegaRuleFile } from "../../components/observability/rules";
import { observabilityPolicies } from "../../policies/observability";
import { runPolicies } from "../../policies/runner";
import type { RecordedResource } from "../harness";
import { recordedResource } from "../harness/records";
import { seedTable } from "../harness/seed";
import { defaultResolved } from "./support/configs";

let n = 0;
function resource(type: string, inputs: Record<string, unknown>): RecordedResource {
  n += 1;
  return recordedResource(type, `r${n}`, inputs);
}

const rules = vegaRuleFile(defaultResolved(), "vega");
const prometheusRule = (labels: Record<string, string>, spec: unknown = rules) =>
  resource("kubernetes:monitoring.coreos.com/v1:PrometheusRule", {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: "vega-rules", labels },
    spec,
  });

async function violations(...resources: RecordedResource[]): Promise<string[]> {
  const report = await runPolicies(resources, {}, observabilityPolicies);
  return report.violations.map((v) => `${v.policy}: ${v.message}`);
}

describe("observability policies", () => {
  it("pass the rules this project renders", async () => {
    expect(await violations(prometheusRule({ release: "kube-prometheus-stack" }))).toEqual([]);
  });

  it("catch a PrometheusRule Prometheus would not select", async () => {
    expect(await violations(prometheusRule({}))).toEqual([
      expect.stringMatching(/^vega-prometheusrule-release-label: r\d+ has no release label$/),
    ]);
  });

  it("judge alerts only: a recording rule that compares a seed series is no loose alert", async () => {
    const withRecording = {
      ...rules,
      groups: [
        ...rules.groups,
        {
          name: "extra",
          rules: [
            {
              record: "vega:cpu_hot",
              expr: "namespace_pod_container:cpu_usage:ratio_rate5m > 0.99",
            },
          ],
        },
      ],
    };
    expect(await violations(prometheusRule({ release: "r" }, withRecording))).toEqual([]);
  });

  it("ask the release label of PrometheusRules only, and an empty one is none", async () => {
    const noMetadata = resource("kubernetes:monitoring.coreos.com/v1:PrometheusRule", {
      spec: rules,
    });
    const empty = prometheusRule({ release: "" });
    const configMap = resource("kubernetes:core/v1:ConfigMap", {
      metadata: { name: "c" },
      data: {},
    });
    expect(await violations(noMetadata, empty, configMap)).toEqual([
      `vega-prometheusrule-release-label: ${noMetadata.name} has no release label`,
      `vega-prometheusrule-release-label: ${empty.name} has no release label`,
    ]);
  });

  it("catch an alert that cannot be routed or acted on", async () => {
    const sloppy = {
      groups: [
        {
          name: "g",
          rules: [
            {
              alert: "Sloppy",
              expr: "up == 0",
              labels: { severity: "page", team: "x" },
              annotations: { summary: "s", runbook_url: "http://wiki" },
            },
          ],
        },
      ],
    };
    const found = await violations(prometheusRule({ release: "r" }, sloppy));
    // The file has none of the seed 15.1 alerts either: vega-alert-thresholds-at-seed says so,
    // once per row (test/policies/recovery.test.ts covers that rule).
    const seedRows = seedTable("15.1").flatMap(([, , t]) => [...(t ?? "").matchAll(/[<>]/g)]);
    expect(
      found.filter((m) => m.startsWith("vega-alert-thresholds-at-seed: no alert")),
    ).toHaveLength(seedRows.length);
    expect(found.filter((m) => !m.startsWith("vega-alert-thresholds-at-seed"))).toEqual([
      "vega-alerts-actionable: alert Sloppy: severity must be one of warning, critical",
      "vega-alerts-actionable: alert Sloppy: severity is the only label allowed (got severity, team)",
      "vega-alerts-actionable: alert Sloppy: no for (one bad scrape would page)",
      "vega-alerts-actionable: alert Sloppy: no description annotation",
      "vega-alerts-actionable: alert Sloppy: runbook_url must be an https URL",
    ]);
  });

  it("name every missing part of a bare alert, and ignore recording rules", async () => {
    const bare = {
      groups: [
        {
          name: "g",
          rules: [
            { alert: "Bare", expr: "up == 0" },
            { record: "r", expr: "up" },
          ],
        },
        { name: "empty" },
      ],
    };
    const found = await violations(prometheusRule({ release: "r" }, bare));
    expect(found.filter((m) => m.startsWith("vega-alerts-actionable"))).toEqual([
      "vega-alerts-actionable: alert Bare: severity must be one of warning, critical",
      "vega-alerts-actionable: alert Bare: no for (one bad scrape would page)",
      "vega-alerts-actionable: alert Bare: no summary annotation",
      "vega-alerts-actionable: alert Bare: no description annotation",
      "vega-alerts-actionable: alert Bare: no runbook_url annotation",
    ]);
  });

  it("catch an unencrypted topic, or one under the AWS-managed key", async () => {
    expect(
      await violations(
        resource("aws:sns/topic:Topic", {}),
        resource("aws:sns/topic:Topic", { kmsMasterKeyId: "alias/aws/sns" }),
      ),
    ).toEqual([expect.stringMatching(/not encrypted/), expect.stringMatching(/AWS-managed key/)]);
    expect(
      await violations(
        resource("aws:sns/topic:Topic", {
          kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/x",
        }),
      ),
    ).toEqual([]);
  });

  it("catch an alarm that notifies nobody", async () => {
    expect(
      await violations(resource("aws:cloudwatch/metricAlarm:MetricAlarm", { alarmActions: [] })),
    ).toEqual([expect.stringMatching(/notifies nobody/)]);
  });
});
