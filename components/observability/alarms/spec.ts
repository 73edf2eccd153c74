/**
 * What a component asks CloudWatch to watch, as plain data: the builders in this folder return
 * it, `CloudWatchAlarms` turns it into `aws.cloudwatch.MetricAlarm`s. A component plugs its
 * alarms in by passing specs, never by editing the observability component.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { CloudWatchMetric } from "../cloudwatch-metrics";
import type { Severity } from "../rule-types";

export type AlarmComparison =
  | "GreaterThanThreshold"
  | "GreaterThanOrEqualToThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold";
export type AlarmStatistic =
  "Average" | "Sum" | "Minimum" | "Maximum" | "SampleCount" | `p${number}`;

/** One metric with its dimensions and how it is aggregated per period. */
export interface WatchedMetric {
  metric: CloudWatchMetric;
  /** Every dimension the metric is published with (values may be outputs, e.g. an ARN suffix). */
  dimensions: Record<string, pulumi.Input<string>>;
  stat: AlarmStatistic;
  periodSeconds: number;
}

/** A metric-math expression over named metrics (ids start with a lower-case letter). */
export interface WatchedExpression {
  expression: string;
  label: string;
  periodSeconds: number;
  metrics: Record<string, WatchedMetric>;
}

export interface AlarmSpec {
  /** Unique among the alarms of one CloudWatchAlarms; names the resource and the alarm. */
  id: string;
  severity: Severity;
  /** What breached and what it means, read in the notification. */
  description: string;
  watch: WatchedMetric | WatchedExpression;
  comparison: AlarmComparison;
  threshold: number;
  /** Periods looked at. */
  evaluationPeriods: number;
  /** How many of them must breach (M of N). Default: all of them (evaluationPeriods). */
  datapointsToAlarm?: number;
  /** No data: notBreaching for event counts, breaching where silence itself is the failure. */
  treatMissingData: "missing" | "ignore" | "breaching" | "notBreaching";
}

export const isExpression = (w: AlarmSpec["watch"]): w is WatchedExpression => "expression" in w;

export const datapointsToAlarm = (spec: AlarmSpec): number =>
  spec.datapointsToAlarm ?? spec.evaluationPeriods;

const validPeriod = (s: number) =>
  [10, 20, 30].includes(s) || (Number.isInteger(s) && s > 0 && s % 60 === 0);

/**
 * PutMetricAlarm's enums (CloudWatch API reference, MetricAlarm): anything else is a
 * ValidationError. The comparisons are the four static-threshold ones; the band operators
 * (LessThanLowerOrGreaterThanUpperThreshold, ...) need an anomaly model this module never writes.
 */
const COMPARISONS: readonly string[] = [
  "GreaterThanThreshold",
  "GreaterThanOrEqualToThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
] satisfies AlarmComparison[];
const MISSING_DATA: readonly string[] = [
  "missing",
  "ignore",
  "breaching",
  "notBreaching",
] satisfies AlarmSpec["treatMissingData"][];
const SEVERITIES: readonly string[] = ["warning", "critical"] satisfies Severity[];
/** Statistic, or ExtendedStatistic p0.0-p100 (the only percentile form this module writes). */
const validStat = (stat: string) =>
  ["Average", "Sum", "Minimum", "Maximum", "SampleCount"].includes(stat) ||
  (/^p\d+(\.\d+)?$/.test(stat) && Number(stat.slice(1)) <= 100);
/** AlarmDescription holds at most 1024 characters; `[<severity>] ` goes before the text. */
const DESCRIPTION_MAX = 1024 - "[critical] ".length;

/** Every problem with a list of specs (empty when they can be created). */
export function alarmSpecProblems(specs: readonly AlarmSpec[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    const at = `alarm ${spec.id}`;
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(spec.id))
      problems.push(`${at}: id must be lower-case letters, digits and dashes`);
    if (seen.has(spec.id)) problems.push(`${at}: id used twice`);
    seen.add(spec.id);
    if (!Number.isInteger(spec.evaluationPeriods) || spec.evaluationPeriods < 1)
      problems.push(`${at}: evaluationPeriods must be a whole number >= 1`);
    const datapoints = datapointsToAlarm(spec);
    if (!Number.isInteger(datapoints) || datapoints < 1 || datapoints > spec.evaluationPeriods) {
      problems.push(
        `${at}: datapointsToAlarm must be from 1 to evaluationPeriods (${spec.evaluationPeriods})`,
      );
    }
    if (!Number.isFinite(spec.threshold)) problems.push(`${at}: threshold must be a finite number`);
    if (!COMPARISONS.includes(spec.comparison))
      problems.push(`${at}: comparison must be one of ${COMPARISONS.join(", ")}`);
    if (!MISSING_DATA.includes(spec.treatMissingData))
      problems.push(`${at}: treatMissingData must be one of ${MISSING_DATA.join(", ")}`);
    if (!SEVERITIES.includes(spec.severity))
      problems.push(`${at}: severity must be one of ${SEVERITIES.join(", ")}`);
    if (spec.description.trim() === "" || spec.description.length > DESCRIPTION_MAX)
      problems.push(
        `${at}: description must say what breached, in 1 to ${DESCRIPTION_MAX} characters`,
      );
    if (isExpression(spec.watch) && spec.watch.label.trim() === "")
      problems.push(
        `${at}: an expression needs a label (the series' name in the notification graph)`,
      );
    const metrics = isExpression(spec.watch)
      ? Object.entries(spec.watch.metrics)
      : [["", spec.watch] as const];
    if (isExpression(spec.watch) && !validPeriod(spec.watch.periodSeconds))
      problems.push(`${at}: period must be 10, 20, 30 or a multiple of 60 seconds`);
    for (const [id, m] of metrics) {
      const what = id ? `${at} metric ${id}` : at;
      if (id && !/^[a-z][a-zA-Z0-9_]*$/.test(id))
        problems.push(`${what}: metric ids start with a lower-case letter (letters, digits, _)`);
      if (isExpression(spec.watch) && !new RegExp(`\\b${id}\\b`).test(spec.watch.expression))
        problems.push(`${what}: the expression does not use it`);
      if (!validPeriod(m.periodSeconds))
        problems.push(`${what}: period must be 10, 20, 30 or a multiple of 60 seconds`);
      // These alarms watch AWS-managed parts only; a custom namespace here is a typo.
      if (!/^AWS\/[A-Za-z0-9]+$/.test(m.metric.namespace))
        problems.push(
          `${what}: namespace ${JSON.stringify(m.metric.namespace)} is not AWS/<service>`,
        );
      if (!validStat(m.stat))
        problems.push(
          `${what}: stat must be Average, Sum, Minimum, Maximum, SampleCount or a percentile p0-p100`,
        );
      const given = Object.keys(m.dimensions).sort();
      const wanted = [...m.metric.dimensions].sort();
      if (given.join(",") !== wanted.join(","))
        problems.push(
          `${what}: ${m.metric.metricName} needs dimensions ${wanted.join(", ")}, got ${given.join(", ") || "none"}`,
        );
    }
  }
  return problems;
}

// Stryker disable next-line Regex: a valid stat (alarmSpecProblems) has "p<digit>" at its start or nowhere
const isPercentile = (stat: AlarmStatistic) => /^p\d/.test(stat);

function metricFields(m: WatchedMetric) {
  return {
    namespace: m.metric.namespace,
    metricName: m.metric.metricName,
    dimensions: m.dimensions,
    period: m.periodSeconds,
  };
}

/** The MetricAlarm arguments for a spec, notifying `topicArn` on ALARM and back to OK. */
export function metricAlarmArgs(
  spec: AlarmSpec,
  at: { name: string; region: pulumi.Input<string>; topicArn: pulumi.Input<string> },
): aws.cloudwatch.MetricAlarmArgs {
  const watched = spec.watch;
  const common: aws.cloudwatch.MetricAlarmArgs = {
    region: at.region,
    name: at.name,
    alarmDescription: `[${spec.severity}] ${spec.description}`,
    comparisonOperator: spec.comparison,
    threshold: spec.threshold,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: datapointsToAlarm(spec),
    treatMissingData: spec.treatMissingData,
    alarmActions: [at.topicArn],
    okActions: [at.topicArn],
    tags: { severity: spec.severity },
  };
  if (isExpression(watched)) {
    return {
      ...common,
      metricQueries: [
        {
          id: "result",
          expression: watched.expression,
          label: watched.label,
          period: watched.periodSeconds,
          returnData: true,
        },
        ...Object.entries(watched.metrics).map(([id, m]) => ({
          id,
          returnData: false,
          metric: { ...metricFields(m), stat: m.stat },
        })),
      ],
    };
  }
  return {
    ...common,
    ...metricFields(watched),
    ...(isPercentile(watched.stat)
      ? { extendedStatistic: watched.stat, evaluateLowSampleCountPercentiles: "ignore" }
      : { statistic: watched.stat }),
  };
}
