/**
 * Shared pieces of the Vega dashboards: data sources and variables, query builders, and
 * threshold steps drawn from the alert catalogue (so a line sits exactly where its alert fires).
 */
import * as cloudwatch from "@grafana/grafana-foundation-sdk/cloudwatch";
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import type { DataSourceRef } from "@grafana/grafana-foundation-sdk/common";
import {
  BigValueGraphMode,
  BigValueTextMode,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  ReduceDataOptionsBuilder,
} from "@grafana/grafana-foundation-sdk/common";
import {
  CustomVariableBuilder,
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  type Threshold,
} from "@grafana/grafana-foundation-sdk/dashboard";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatPanel } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";
import type { AlertDefinition } from "../components/observability/alerts";
import type { CloudWatchMetric } from "../components/observability/cloudwatch-metrics";
import type { Severity } from "../components/observability/rule-types";

export const PROMETHEUS: DataSourceRef = { type: "prometheus", uid: "${datasource}" };
export const CLOUDWATCH: DataSourceRef = { type: "cloudwatch", uid: "${cloudwatch}" };

/** A Vega dashboard: read-only, UTC, shared crosshair, refreshed every minute, Prometheus variable first. */
export function vegaDashboard(d: {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  from: string;
}): DashboardBuilder {
  return new DashboardBuilder(d.title)
    .uid(d.uid)
    .description(d.description)
    .tags(["vega", "generated", ...d.tags])
    .refresh("1m")
    .time({ from: d.from, to: "now" })
    .timezone("utc")
    .tooltip(DashboardCursorSync.Crosshair)
    .readonly()
    .withVariable(prometheusVariable());
}

/** The Prometheus data source variable every dashboard has. */
export const prometheusVariable = () =>
  new DatasourceVariableBuilder("datasource").label("Prometheus").type("prometheus");
/** The CloudWatch data source variable, for dashboards that show AWS-managed parts. */
export const cloudwatchVariable = () =>
  new DatasourceVariableBuilder("cloudwatch").label("CloudWatch").type("cloudwatch");

/** `$namespace`, listed from the recorded series, preset to the stack's namespace. */
export function namespaceVariable(namespace: string, listedFrom: string) {
  return new QueryVariableBuilder("namespace")
    .label("Namespace")
    .datasource(PROMETHEUS)
    .query(`label_values(${listedFrom}, namespace)`)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .current({ text: namespace, value: namespace });
}

/** `$dbinstance`: one of the region's RDS instances (writer first), for the PostgreSQL panels. */
export function databaseInstanceVariable(identifiers: readonly string[]) {
  const first = identifiers[0] ?? "";
  return new CustomVariableBuilder("dbinstance")
    .label("Database instance")
    .values(identifiers.join(","))
    .current({ text: first, value: first });
}

/** `$region`: the AWS region CloudWatch panels read (replication metrics live in either region). */
export function regionVariable() {
  return new QueryVariableBuilder("region")
    .label("AWS region")
    .datasource(CLOUDWATCH)
    .query("regions()")
    .refresh(VariableRefresh.OnDashboardLoad)
    .current({ text: "default", value: "default" });
}

/** `{namespace="$namespace"}` added to a recorded series. */
export const inNamespace = (series: string) =>
  series.includes("{")
    ? series.replace("{", '{namespace="$namespace", ')
    : `${series}{namespace="$namespace"}`;

export function prom(refId: string, expr: string, legend?: string): prometheus.DataqueryBuilder {
  const q = new prometheus.DataqueryBuilder().refId(refId).expr(expr).datasource(PROMETHEUS);
  return legend ? q.legendFormat(legend) : q;
}

export interface CloudWatchQueryOptions {
  /** Default `$region`; Route 53 health checks only exist in us-east-1. */
  region?: string;
  /** Dimension values; every other dimension is `*` (all instances in the account). */
  dimensions?: Record<string, string>;
  /** The query's id, to refer to it in metric math. */
  id?: string;
  hide?: boolean;
  label?: string;
}

/** A CloudWatch metric query over a metric of the shared catalogue. */
export function cw(
  refId: string,
  metric: CloudWatchMetric,
  stat: string,
  opts: CloudWatchQueryOptions = {},
): cloudwatch.MetricsQueryBuilder {
  const q = new cloudwatch.MetricsQueryBuilder()
    .refId(refId)
    .datasource(CLOUDWATCH)
    .queryMode(cloudwatch.QueryMode.Metrics)
    .metricQueryType(cloudwatch.MetricQueryType.Search)
    .metricEditorMode(cloudwatch.MetricEditorMode.Builder)
    .region(opts.region ?? "$region")
    .namespace(metric.namespace)
    .metricName(metric.metricName)
    .dimensions(Object.fromEntries(metric.dimensions.map((d) => [d, opts.dimensions?.[d] ?? "*"])))
    .matchExact(false)
    .statistic(stat);
  if (opts.id) q.id(opts.id);
  if (opts.hide) q.hide(true);
  if (opts.label) q.label(opts.label);
  return q;
}

/** A CloudWatch metric-math query over the `id`s of other queries of the panel. */
export function cwMath(
  refId: string,
  expression: string,
  label: string,
): cloudwatch.MetricsQueryBuilder {
  return new cloudwatch.MetricsQueryBuilder()
    .refId(refId)
    .id(refId.toLowerCase())
    .datasource(CLOUDWATCH)
    .queryMode(cloudwatch.QueryMode.Metrics)
    .metricQueryType(cloudwatch.MetricQueryType.Search)
    .metricEditorMode(cloudwatch.MetricEditorMode.Code)
    .region("$region")
    .expression(expression)
    .label(label);
}

const COLOR: Record<Severity | "ok", string> = { ok: "green", warning: "orange", critical: "red" };

/**
 * Steps for the alerts on one indicator. Above-threshold alerts: green, then each alert's
 * colour from its threshold up. Below-threshold alerts: the most severe colour at the bottom,
 * each threshold handing over to the next, green above the highest.
 */
export function alertSteps(defs: readonly AlertDefinition[]): ThresholdsConfigBuilder {
  if (defs.length === 0) throw new Error("alertSteps needs at least one alert");
  const direction = defs[0]!.comparison;
  if (defs.some((d) => d.comparison !== direction))
    throw new Error(
      `alerts on one panel must all be ${direction}: ${defs.map((d) => d.name).join(", ")}`,
    );
  const sorted = [...defs].sort((a, b) => a.threshold - b.threshold);
  const steps: Threshold[] =
    direction === ">"
      ? [
          { value: null, color: COLOR.ok },
          ...sorted.map((d) => ({ value: d.threshold, color: COLOR[d.severity] })),
        ]
      : [
          { value: null, color: COLOR[sorted[0]!.severity] },
          ...sorted.map((d, i) => ({
            value: d.threshold,
            color: COLOR[sorted[i + 1]?.severity ?? "ok"],
          })),
        ];
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

/** Steps for a CloudWatch alarm threshold (the same config value the alarm builder uses). */
export function limitSteps(
  threshold: number,
  severity: Severity,
  direction: ">" | "<" = ">",
): ThresholdsConfigBuilder {
  const steps: Threshold[] =
    direction === ">"
      ? [
          { value: null, color: COLOR.ok },
          { value: threshold, color: COLOR[severity] },
        ]
      : [
          { value: null, color: COLOR[severity] },
          { value: threshold, color: COLOR.ok },
        ];
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

export interface Placement {
  id: number;
  title: string;
  /** Width in grid columns (24 across) and height in rows. */
  w: number;
  h: number;
  description?: string;
}

/** The builder methods every panel kind shares. */
interface Placeable<T> {
  id(id: number): T;
  title(title: string): T;
  span(w: number): T;
  height(h: number): T;
  description(d: string): T;
  datasource(ds: DataSourceRef): T;
  withTarget(target: cog.Builder<cog.Dataquery>): T;
}

/** Puts any panel on the grid with an explicit id, and adds its queries. */
export function place<T extends Placeable<T>>(
  panel: T,
  p: Placement,
  datasource: DataSourceRef,
  targets: cog.Builder<cog.Dataquery>[],
): T {
  let built = panel.id(p.id).title(p.title).span(p.w).height(p.h).datasource(datasource);
  if (p.description) built = built.description(p.description);
  for (const t of targets) built = built.withTarget(t);
  return built;
}

/** A time series with its thresholds drawn as a dashed line. */
export function trend(
  p: Placement,
  datasource: DataSourceRef,
  targets: cog.Builder<cog.Dataquery>[],
  unit: string,
  steps?: ThresholdsConfigBuilder,
): TimeseriesPanel {
  const panel = place(new TimeseriesPanel(), p, datasource, targets).unit(unit).fillOpacity(10);
  if (!steps) return panel;
  return panel
    .thresholds(steps)
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
}

/** A stat panel showing each query's last value with its name. */
export function stat(
  p: Placement,
  datasource: DataSourceRef,
  targets: cog.Builder<cog.Dataquery>[],
  unit = "short",
): StatPanel {
  return place(new StatPanel(), p, datasource, targets)
    .unit(unit)
    .textMode(BigValueTextMode.ValueAndName)
    .graphMode(BigValueGraphMode.None)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false));
}
