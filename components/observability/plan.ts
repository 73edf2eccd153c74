/**
 * The observability part of the offline plan: the rule file (ready for `promtool check rules`),
 * each dashboard's JSON (ready for Grafana's import), the collector config, and a summary of
 * alerts and alarms for the pull request, all read back from the recorded resources.
 */
import { parse } from "yaml";
import type {
  PlanArtifact,
  PlanContext,
  PlanExtension,
  PlanSection,
  RecordedResource,
  ResourceProps,
} from "../core/plan";
import { COLLECTOR_CONFIG_FILE } from "./collector";
import { GRAFANA_DASHBOARD_LABEL } from "./observability";
import { isAlertingRule, type RuleFile, type RuleGroup } from "./rule-types";
import { renderRuleFile } from "./rules";

export const PROMETHEUS_RULE_TYPE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
const CONFIG_MAP_TYPE = "kubernetes:core/v1:ConfigMap";
const METRIC_ALARM_TYPE = "aws:cloudwatch/metricAlarm:MetricAlarm";

type Inputs = ResourceProps;
const inputs = (r: RecordedResource) => r.inputs as Inputs;

/** Every rule group of the recorded PrometheusRules, as one plain rule file. */
export function recordedRuleFile(resources: RecordedResource[]): RuleFile | undefined {
  const rules = resources.filter((r) => r.type === PROMETHEUS_RULE_TYPE);
  if (rules.length === 0) return undefined;
  return { groups: rules.flatMap((r) => (inputs(r).spec?.groups ?? []) as RuleGroup[]) };
}

const isDashboardConfigMap = (r: RecordedResource) =>
  r.type === CONFIG_MAP_TYPE &&
  // Stryker disable next-line MethodExpression: the label is one key, so every and some agree
  Object.entries(GRAFANA_DASHBOARD_LABEL).every(([k, v]) => inputs(r).metadata?.labels?.[k] === v);

/** `{file name → dashboard JSON}` of every dashboard ConfigMap. */
export function recordedDashboards(resources: RecordedResource[]): Record<string, string> {
  return Object.assign(
    {},
    ...resources.filter(isDashboardConfigMap).map((r) => inputs(r).data ?? {}),
  );
}

function artifacts(ctx: PlanContext): PlanArtifact[] {
  const out: PlanArtifact[] = [];
  const rules = recordedRuleFile(ctx.resources);
  if (rules) out.push({ path: "prometheus/rules.yaml", content: renderRuleFile(rules) });
  for (const [file, json] of Object.entries(recordedDashboards(ctx.resources)))
    out.push({ path: `dashboards/${file}`, content: json });
  const collector = ctx.resources.find(
    (r) =>
      r.type === CONFIG_MAP_TYPE && typeof inputs(r).data?.[COLLECTOR_CONFIG_FILE] === "string",
  );
  if (collector)
    out.push({
      path: `otel/${COLLECTOR_CONFIG_FILE}`,
      content: inputs(collector).data[COLLECTOR_CONFIG_FILE],
    });
  return out;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function sections(ctx: PlanContext): PlanSection[] {
  const lines: string[] = [];
  const rules = recordedRuleFile(ctx.resources);
  if (rules) {
    const alerts = rules.groups.flatMap((g) => g.rules.filter(isAlertingRule));
    const recorded = rules.groups.flatMap((g) => g.rules).length - alerts.length;
    lines.push(
      `**Prometheus**: ${alerts.length} alerts, ${recorded} recording rules (\`prometheus/rules.yaml\`, check with \`promtool check rules\`).`,
      "",
    );
    lines.push("| Alert | Severity | For | Fires when |", "|---|---|---|---|");
    for (const a of alerts)
      lines.push(
        `| ${a.alert} | ${a.labels.severity} | ${a.for} | \`${cell(a.expr.split("\n")[0])}\` |`,
      );
    lines.push("");
  }
  const dashboards = Object.keys(recordedDashboards(ctx.resources));
  if (dashboards.length > 0)
    lines.push(`**Grafana**: ${dashboards.map((f) => `\`dashboards/${f}\``).join(", ")}.`, "");
  const alarms = ctx.resources.filter((r) => r.type === METRIC_ALARM_TYPE);
  if (alarms.length > 0) {
    lines.push(
      `**CloudWatch**: ${alarms.length} alarms.`,
      "",
      "| Alarm | Region | Metric | Condition |",
      "|---|---|---|---|",
    );
    for (const a of alarms) {
      const i = inputs(a);
      const queries = (i.metricQueries ?? []) as Inputs[];
      const metric = i.metricName
        ? `${i.namespace} ${i.metricName}`
        : `${queries.find((q) => q.expression)?.expression ?? "?"} over ${queries
            .filter((q) => q.metric)
            .map((q) => q.metric.metricName)
            .join(", ")}`;
      lines.push(
        `| ${cell(String(i.name ?? a.name))} | ${a.region ?? ""} | ${cell(metric)} | ${cell(`${i.comparisonOperator} ${i.threshold}, ${i.datapointsToAlarm} of ${i.evaluationPeriods}`)} |`,
      );
    }
    lines.push("");
  }
  const collector = ctx.resources.find(
    (r) =>
      r.type === CONFIG_MAP_TYPE && typeof inputs(r).data?.[COLLECTOR_CONFIG_FILE] === "string",
  );
  if (collector) {
    const exporters =
      (
        parse(inputs(collector).data[COLLECTOR_CONFIG_FILE]) as {
          exporters?: Record<string, { endpoint?: string }>;
        }
      ).exporters ?? {};
    lines.push(
      `**Tracing**: OpenTelemetry Collector exporting to ${Object.entries(exporters)
        .map(([k, v]) => `${k} (${v.endpoint})`)
        .join(", ")}.`,
    );
  }
  return lines.length === 0 ? [] : [{ title: "Observability", markdown: lines.join("\n") }];
}

/** Wire into tools/plan (the lead's registry). */
export const observabilityPlan: PlanExtension = { name: "observability", artifacts, sections };
