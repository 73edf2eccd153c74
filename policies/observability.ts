/**
 * Observability guardrails (seed 15): Prometheus picks the rules up, every alert can be routed
 * and acted on, its thresholds are no looser than seed 15.1, alarm notifications are encrypted
 * and reach someone.
 */
import * as aws from "@pulumi/aws";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { SEED_ALERT_THRESHOLDS } from "../config/observability";

const PROMETHEUS_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
const SEVERITIES = ["warning", "critical"];

interface RecordedAlert {
  alert?: string;
  record?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export const prometheusRuleSelected: ResourceValidationPolicy = {
  name: "vega-prometheusrule-release-label",
  description:
    "PrometheusRules carry the `release` label kube-prometheus-stack selects rules by; without it they are silently ignored.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set metadata.labels.release to the kube-prometheus-stack release (vega-ha:observability.release).",
  validateResource: (args, report) => {
    if (args.type !== PROMETHEUS_RULE) return;
    const release = args.props.metadata?.labels?.release;
    if (typeof release !== "string" || release === "") report(`${args.name} has no release label`);
  },
};

export const alertsActionable: ResourceValidationPolicy = {
  name: "vega-alerts-actionable",
  description:
    "Every alert has a `for`, `severity` (warning or critical) as its only label, and summary, description and an https runbook_url.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give every alert a `for`, only a severity label (warning or critical), and summary, description and an https runbook_url annotation.",
  validateResource: (args, report) => {
    if (args.type !== PROMETHEUS_RULE) return;
    const groups = (args.props.spec?.groups ?? []) as { rules?: RecordedAlert[] }[];
    for (const rule of groups.flatMap((g) => g.rules ?? []).filter((r) => r.alert !== undefined)) {
      const at = `alert ${rule.alert}`;
      const labels = Object.keys(rule.labels ?? {});
      if (!SEVERITIES.includes(rule.labels?.severity ?? ""))
        report(`${at}: severity must be one of ${SEVERITIES.join(", ")}`);
      if (labels.some((l) => l !== "severity"))
        report(`${at}: severity is the only label allowed (got ${labels.join(", ")})`);
      if (!rule.for) report(`${at}: no for (one bad scrape would page)`);
      for (const key of ["summary", "description", "runbook_url"])
        if (!rule.annotations?.[key]) report(`${at}: no ${key} annotation`);
      if (rule.annotations?.runbook_url && !rule.annotations.runbook_url.startsWith("https://"))
        report(`${at}: runbook_url must be an https URL`);
    }
  },
};

export const snsTopicEncrypted: ResourceValidationPolicy = {
  name: "vega-sns-topic-encrypted",
  description:
    "SNS topics are encrypted with a customer managed KMS key (alarms cannot publish to one under the AWS-managed SNS key).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set the topic's kmsMasterKeyId to a customer managed KMS key whose policy lets CloudWatch use it.",
  validateResource: validateResourceOfType(aws.sns.Topic, (t, args, report) => {
    const key = t.kmsMasterKeyId;
    if (!key) report(`${args.name} is not encrypted (kmsMasterKeyId)`);
    else if (key === "alias/aws/sns")
      report(`${args.name} uses the AWS-managed key, which CloudWatch alarms cannot publish with`);
  }),
};

export const alarmsNotify: ResourceValidationPolicy = {
  name: "vega-alarms-notify",
  description:
    "Every CloudWatch alarm notifies at least one action on ALARM, and its actions are enabled.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Give the alarm the stack's alert topic in alarmActions and leave actionsEnabled on.",
  validateResource: validateResourceOfType(aws.cloudwatch.MetricAlarm, (a, args, report) => {
    if ((a.alarmActions ?? []).length === 0) report(`${args.name} notifies nobody`);
    if (a.actionsEnabled === false) report(`${args.name} has its actions disabled`);
  }),
};

type SeedAlertKey = keyof typeof SEED_ALERT_THRESHOLDS;

/**
 * The seed 15.1 rows as the rendered rules state them: the recorded series an alert compares
 * (components/observability/recording.ts; the window part of a name may vary), the comparison
 * that fires, and the factor from the seed's unit to the series' (percent to ratio).
 */
export const SEED_ALERT_ROWS: {
  key: SeedAlertKey;
  series: RegExp;
  fires: ">" | "<";
  scale: number;
}[] = [
  {
    key: "queryLatencyP99Seconds",
    series: /:vega_query_latency_seconds:p99_/,
    fires: ">",
    scale: 1,
  },
  {
    key: "queryErrorRatePercent",
    series: /:vega_query_error_rate:ratio_/,
    fires: ">",
    scale: 0.01,
  },
  { key: "syncLagSeconds", series: /:vega_sync_lag_seconds:/, fires: ">", scale: 1 },
  { key: "syncFailures", series: /:vega_sync_failures:increase/, fires: ">", scale: 1 },
  { key: "cpuPercent", series: /:cpu_usage:ratio/, fires: ">", scale: 0.01 },
  { key: "memoryPercent", series: /:memory_usage:ratio/, fires: ">", scale: 0.01 },
  { key: "diskPercent", series: /:disk_usage:ratio/, fires: ">", scale: 0.01 },
  {
    key: "connectionWaitSeconds",
    series: /:vega_connection_wait_seconds:p99_/,
    fires: ">",
    scale: 1,
  },
  { key: "cacheHitRatePercent", series: /:vega_cache_hit_rate:ratio_/, fires: "<", scale: 0.01 },
];

/** The leading comparison of an alert expression: `series{matchers} op number`. */
export function leadingComparison(
  expr: string,
): { series: string; op: string; value: number } | undefined {
  const m =
    /^\s*\(?\s*([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})?\s*(>=|<=|>|<|==|!=)\s*(-?[0-9.]+(?:e[+-]?\d+)?)/i.exec(
      expr,
    );
  return m ? { series: m[1]!, op: m[2]!, value: Number(m[3]) } : undefined;
}

/** A Prometheus duration ("90s", "10m", "1h30m") in minutes; NaN when not one. */
export function durationMinutes(value: string): number {
  const unit: Record<string, number> = {
    ms: 1 / 60000,
    s: 1 / 60,
    m: 1,
    h: 60,
    d: 1440,
    w: 10080,
    y: 525600,
  };
  const parts = [...value.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== value) return Number.NaN;
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2]!]!, 0);
}

/** Float slack: 0.8 rendered from 80 % must equal 80 * 0.01. */
const EPSILON = 1e-9;

export const alertThresholdsAtSeed: ResourceValidationPolicy = {
  name: "vega-alert-thresholds-at-seed",
  description:
    "Every seed 15.1 metric has an alert whose threshold is no looser than the seed's (p99 > 5 s, error rate > 1 %, lag > 300 s, failures > 3, cpu > 80 %, mem > 85 %, disk > 90 %, wait > 1 s, hit rate < 70 %), firing in the seed's direction and after at most maxForMinutes.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Keep vega-ha:observability.thresholds at or below the seed 15.1 values (at or above for the cache hit rate) and each alert's `for` at most maxForMinutes; add the alert of any seed row that has none (components/observability/alerts.ts).",
  configSchema: {
    properties: {
      ...Object.fromEntries(
        SEED_ALERT_ROWS.map((row) => [
          row.key,
          {
            type: "number",
            default: SEED_ALERT_THRESHOLDS[row.key],
            // A limit may be stricter than the seed, never looser.
            ...(row.fires === ">"
              ? { maximum: SEED_ALERT_THRESHOLDS[row.key] }
              : { minimum: SEED_ALERT_THRESHOLDS[row.key] }),
            description: `The loosest threshold allowed, in the seed's unit (seed 15.1: ${row.fires} ${SEED_ALERT_THRESHOLDS[row.key]}).`,
          },
        ]),
      ),
      maxForMinutes: {
        type: "integer",
        minimum: 1,
        default: 15,
        description: "The longest `for` a seed 15.1 alert may wait before it fires.",
      },
    },
  },
  validateResource: (args, report) => {
    if (args.type !== PROMETHEUS_RULE) return;
    const limits = args.getConfig<Record<SeedAlertKey, number> & { maxForMinutes: number }>();
    const groups = (args.props.spec?.groups ?? []) as {
      rules?: (RecordedAlert & { expr?: string })[];
    }[];
    const alerts = groups
      .flatMap((g) => g.rules ?? [])
      .filter((r) => r.alert !== undefined)
      .map((r) => ({ rule: r, comparison: leadingComparison(String(r.expr ?? "")) }));
    for (const row of SEED_ALERT_ROWS) {
      const limit = limits[row.key] * row.scale;
      const mine = alerts.filter((a) => a.comparison && row.series.test(a.comparison.series));
      if (mine.length === 0) {
        report(`no alert compares the seed 15.1 ${row.key} series (${row.series.source})`);
        continue;
      }
      for (const { rule, comparison } of mine) {
        const { op, value } = comparison!;
        const at = `alert ${rule.alert}`;
        if (!op.startsWith(row.fires)) {
          report(`${at}: fires on ${op} ${value}, the seed fires on ${row.fires}`);
          continue;
        }
        const looser = row.fires === ">" ? value > limit + EPSILON : value < limit - EPSILON;
        if (looser)
          report(
            `${at}: threshold ${value} is looser than ${limit} (seed 15.1 ${row.key} ${row.fires} ${limits[row.key]})`,
          );
        const waits = durationMinutes(String(rule.for ?? "0m"));
        if (!(waits <= limits.maxForMinutes))
          report(`${at}: waits ${rule.for} before firing, at most ${limits.maxForMinutes}m`);
      }
    }
  },
};

export const observabilityPolicies = [
  prometheusRuleSelected,
  alertsActionable,
  snsTopicEncrypted,
  alarmsNotify,
  alertThresholdsAtSeed,
];
