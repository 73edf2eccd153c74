/**
 * The observability part of the offline plan (components/observability/plan.ts) on hand-made
 * records: which files it writes and from what, and the summary a reviewer reads (alerts with
 * their first expression line, dashboards, CloudWatch alarms of both shapes, the collector's
 * exporters), Markdown-safe. The real stacks check the counts (test/observability/stack-suites.ts).
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  observabilityPlan,
  PROMETHEUS_RULE_TYPE,
  recordedDashboards,
  recordedRuleFile,
} from "../../components/observability/plan";
import { planContext, recordedResource } from "../harness/records";

const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

const ruleGroup = (name: string, rules: object[]) => ({ name, rules });
const prometheusRule = (name: string, groups: object[]) =>
  recordedResource(PROMETHEUS_RULE_TYPE, name, { spec: { groups } });
const rulesA = prometheusRule("rules-a", [
  ruleGroup("vega-gateway", [
    { record: "vega:gateway_requests:rate5m", expr: "sum(rate(http_requests_total[5m]))" },
    {
      alert: "VegaGatewayErrors",
      expr: "sum(rate(errors[5m]))\n  / sum(rate(requests[5m])) > 0.05",
      for: "5m",
      labels: { severity: "critical" },
      annotations: { summary: "errors" },
    },
  ]),
]);
const rulesB = prometheusRule("rules-b", [
  ruleGroup("vega-redis", [
    {
      alert: "VegaRedisDown",
      expr: 'up{job="redis"} == 0 or absent(up{job="redis"}) | 1',
      for: "1m",
      labels: { severity: "warning" },
      annotations: { summary: "down" },
    },
  ]),
]);
const dashboardMap = (name: string, data: Record<string, string>, labels: object) =>
  recordedResource(CONFIG_MAP, name, { metadata: { name, labels }, data });
const dashboards = dashboardMap(
  "dashboards",
  { "vega-overview.json": '{"uid":"vega-overview"}', "vega-data.json": '{"uid":"vega-data"}' },
  { grafana_dashboard: "1" },
);
const notADashboard = dashboardMap("app", { "app.json": "{}" }, { grafana_dashboard: "0" });
const collector = recordedResource(CONFIG_MAP, "otel", {
  data: {
    "collector.yaml":
      "exporters:\n  otlp/tempo:\n    endpoint: tempo.monitoring:4317\n  otlphttp/backup:\n    endpoint: https://traces.example.com\n",
  },
});
const plainAlarm = recordedResource(
  ALARM,
  "alb-5xx",
  {
    name: "vega-alb-5xx",
    namespace: "AWS/ApplicationELB",
    metricName: "HTTPCode_ELB_5XX_Count",
    comparisonOperator: "GreaterThanThreshold",
    threshold: 10,
    datapointsToAlarm: 3,
    evaluationPeriods: 5,
  },
  { region: "us-east-1" },
);
const mathAlarm = recordedResource(ALARM, "lag", {
  name: "vega|lag",
  metricQueries: [
    { id: "leader", metric: { metricName: "LeaderCheckpoint" } },
    { id: "follower", metric: { metricName: "FollowerCheckpoint" } },
    { id: "lag", expression: "leader -\nfollower" },
  ],
  comparisonOperator: "GreaterThanThreshold",
  threshold: 0,
  datapointsToAlarm: 1,
  evaluationPeriods: 1,
});

const sectionOf = (resources: ReturnType<typeof recordedResource>[]) => {
  const [section, ...more] = observabilityPlan.sections!(planContext(resources));
  expect(more).toEqual([]);
  expect(section!.title).toBe("Observability");
  return section!.markdown.split("\n");
};

describe("the observability plan: what it reads back", () => {
  it("joins every PrometheusRule's groups into one rule file; none without a PrometheusRule", () => {
    expect(recordedRuleFile([dashboards, plainAlarm])).toBeUndefined();
    expect(recordedRuleFile([rulesA, dashboards, rulesB])!.groups.map((g) => g.name)).toEqual([
      "vega-gateway",
      "vega-redis",
    ]);
  });

  it("takes dashboards from the ConfigMaps Grafana's sidecar loads, and only those", () => {
    const labelledSecret = recordedResource("kubernetes:core/v1:Secret", "s", {
      metadata: { labels: { grafana_dashboard: "1" } },
      data: { "x.json": "{}" },
    });
    const unlabelled = recordedResource(CONFIG_MAP, "plain", { metadata: { name: "plain" } });
    expect(
      recordedDashboards([dashboards, notADashboard, collector, labelledSecret, unlabelled]),
    ).toEqual(dashboards.inputs.data);
    expect(recordedDashboards([notADashboard])).toEqual({});
  });
});

describe("the observability plan: files", () => {
  it("takes the collector config from a ConfigMap only", () => {
    const secret = recordedResource("kubernetes:core/v1:Secret", "otel-secret", {
      data: { "collector.yaml": "exporters: {}\n" },
    });
    const empty = recordedResource(CONFIG_MAP, "empty", { metadata: { name: "empty" } });
    expect(observabilityPlan.artifacts!(planContext([secret, empty]))).toEqual([]);
    expect(observabilityPlan.sections!(planContext([secret, empty]))).toEqual([]);
  });

  it("writes nothing for a stack without rules, dashboards or collector", () => {
    expect(observabilityPlan.artifacts!(planContext([plainAlarm]))).toEqual([]);
    expect(observabilityPlan.sections!(planContext([notADashboard]))).toEqual([]);
  });

  it("writes the rule file as YAML promtool reads, each dashboard as is, the collector config", () => {
    const files = observabilityPlan.artifacts!(
      planContext([rulesA, rulesB, dashboards, notADashboard, collector, plainAlarm]),
    );
    expect(files.map((f) => f.path)).toEqual([
      "prometheus/rules.yaml",
      "dashboards/vega-overview.json",
      "dashboards/vega-data.json",
      "otel/collector.yaml",
    ]);
    expect(parse(files[0]!.content)).toEqual({
      groups: [...(rulesA.inputs.spec as any).groups, ...(rulesB.inputs.spec as any).groups],
    });
    expect(files[1]!.content).toBe('{"uid":"vega-overview"}');
    expect(files[3]!.content).toBe((collector.inputs.data as any)["collector.yaml"]);
  });
});

describe("the observability plan: the summary", () => {
  it("counts alerts and recording rules; lists each alert with its first line, pipes escaped", () => {
    const lines = sectionOf([rulesA, rulesB]);
    expect(lines).toEqual([
      "**Prometheus**: 2 alerts, 1 recording rules (`prometheus/rules.yaml`, check with `promtool check rules`).",
      "",
      "| Alert | Severity | For | Fires when |",
      "|---|---|---|---|",
      "| VegaGatewayErrors | critical | 5m | `sum(rate(errors[5m]))` |",
      '| VegaRedisDown | warning | 1m | `up{job="redis"} == 0 or absent(up{job="redis"}) \\| 1` |',
      "",
    ]);
  });

  it("names the dashboards' files", () => {
    expect(sectionOf([dashboards])).toEqual([
      "**Grafana**: `dashboards/vega-overview.json`, `dashboards/vega-data.json`.",
      "",
    ]);
  });

  it("lists each alarm: a metric's namespace and name, or a math alarm's expression over its metrics", () => {
    expect(sectionOf([plainAlarm, mathAlarm])).toEqual([
      "**CloudWatch**: 2 alarms.",
      "",
      "| Alarm | Region | Metric | Condition |",
      "|---|---|---|---|",
      "| vega-alb-5xx | us-east-1 | AWS/ApplicationELB HTTPCode_ELB_5XX_Count | GreaterThanThreshold 10, 3 of 5 |",
      "| vega\\|lag |  | leader - follower over LeaderCheckpoint, FollowerCheckpoint | GreaterThanThreshold 0, 1 of 1 |",
      "",
    ]);
  });

  it("names an alarm without a name of its own by its resource; a math alarm without an expression says so", () => {
    const unnamed = recordedResource(ALARM, "vega-edge-5xx", {
      metricQueries: [{ id: "m", metric: { metricName: "HTTPCode_ELB_5XX_Count" } }],
      comparisonOperator: "GreaterThanThreshold",
      threshold: 1,
      datapointsToAlarm: 1,
      evaluationPeriods: 1,
    });
    expect(sectionOf([unnamed])).toContain(
      "| vega-edge-5xx |  | ? over HTTPCode_ELB_5XX_Count | GreaterThanThreshold 1, 1 of 1 |",
    );
  });

  it("names the collector's exporters and where they send", () => {
    expect(sectionOf([collector])).toEqual([
      "**Tracing**: OpenTelemetry Collector exporting to otlp/tempo (tempo.monitoring:4317), otlphttp/backup (https://traces.example.com).",
    ]);
  });
});
