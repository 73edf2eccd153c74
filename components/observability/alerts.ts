/**
 * The alert catalogue: one alert per row of seed 15.1, plus what the HA topology needs (a stale
 * logical backup, a Sentinel without master, too few ready gateways). Every threshold comes from
 * config; the same definition renders the Prometheus rule and tells the dashboards where to draw
 * their threshold line.
 */
import type { AlertThresholds, ObservabilityConfig } from "../../config";
import { eq, literal, minutes, RATE_WINDOW_MINUTES, selector } from "./promql";
import { recordedSeries, type RecordedSeries } from "./recording";
import type { AlertingRule, Severity } from "./rule-types";

export interface AlertDefinition {
  /** CamelCase, prefixed Vega. */
  name: string;
  severity: Severity;
  /** Where the requirement comes from (seed section, or the HA topology). */
  source: string;
  /** The series compared with the threshold (a recorded series, possibly with matchers). */
  indicator: string;
  comparison: ">" | "<";
  /** In the indicator's unit (ratios 0..1, seconds, counts). */
  threshold: number;
  /** The indicator only takes whole values (counts, replicas). */
  discrete: boolean;
  /**
   * Low-traffic guard: the alert only fires where this rate times the 5 m window reaches the
   * configured minimum of events. Matched on namespace and service.
   */
  guardRate?: string;
  for: string;
  /** Why this `for`: shown in the README and the plan summary. */
  forReason: string;
  /** Static one-liner. */
  summary: string;
  /** Template over `$labels` and `$value` (humanize, humanizePercentage, humanizeDuration). */
  description: string;
}

/** The workloads the HA alerts watch, by name. */
export interface WatchedWorkloads {
  /** The gateways' Deployment (the gateway component names it). */
  gatewayDeployment: string;
  /** The daily pg_dump CronJob (config `targets.logicalBackupCronJob`). */
  logicalBackupCronJob: string;
  /** RDS identifiers of this region's metadata database instances (dashboards). Default none. */
  databaseInstances?: string[];
}

/** What the rules and dashboards are built from. */
export interface AlertConfig {
  thresholds: AlertThresholds;
  targets: WatchedWorkloads;
}

const pct = (p: number) => `${literal(p)}%`;

// Stryker disable BooleanLiteral: `discrete` only picks the probe values of the promtool scenarios
// (test/observability/support/alert-scenarios.ts); either pick crosses the threshold and stays inside it
/** A container using more than `percent` of its limit of a resource (seed 15.1 资源使用). */
function containerLimitAlert(
  name: string,
  seedToken: string,
  resource: string,
  indicator: string,
  percent: number,
  forDuration: string,
  forReason: string,
): AlertDefinition {
  return {
    name: `Vega${name}UsageHigh`,
    severity: "warning",
    source: `seed 15.1 资源使用 ${seedToken}`,
    indicator,
    comparison: ">",
    threshold: percent / 100,
    discrete: false,
    for: forDuration,
    forReason,
    summary: `A container uses more than ${pct(percent)} of its ${resource} limit.`,
    description: `Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its ${resource} limit, above ${pct(percent)}.`,
  };
}
const secs = (s: number) => `${literal(s)}s`;

/** The alert definitions for a config. */
export function alertDefinitions(o: AlertConfig): AlertDefinition[] {
  const t: AlertThresholds = o.thresholds;
  const s: RecordedSeries = recordedSeries(t);
  const failureWindow = minutes(t.syncFailuresWindowMinutes);
  const backupMaxAgeSeconds = t.logicalBackupMaxAgeHours * 3600;
  const gateways = selector(s.deploymentAvailable, eq("deployment", o.targets.gatewayDeployment));

  return [
    {
      name: "VegaQueryLatencyP99High",
      severity: "warning",
      source: "seed 15.1 查询性能 p99",
      indicator: s.queryLatencyP99,
      comparison: ">",
      threshold: t.queryLatencyP99Seconds,
      discrete: false,
      guardRate: s.queryRate,
      for: "10m",
      forReason:
        "a p99 over 5 m swings with a few heavy queries; 10 m of it is a sustained tail, not one slow report",
      summary: `Query p99 latency is above ${secs(t.queryLatencyP99Seconds)}.`,
      description: `p99 query latency of {{ $labels.service }} in {{ $labels.namespace }} is {{ $value | humanizeDuration }}, above ${secs(t.queryLatencyP99Seconds)}.`,
    },
    {
      name: "VegaQueryErrorRateHigh",
      severity: "critical",
      source: "seed 15.1 查询性能 error_rate",
      indicator: s.queryErrorRatio,
      comparison: ">",
      threshold: t.queryErrorRatePercent / 100,
      discrete: false,
      guardRate: s.queryRate,
      for: "5m",
      forReason:
        "failed queries hurt users at once; one full rate window rides out a single failing batch or a pod restart",
      summary: `More than ${pct(t.queryErrorRatePercent)} of queries fail.`,
      description: `{{ $value | humanizePercentage }} of queries to {{ $labels.service }} in {{ $labels.namespace }} fail, above ${pct(t.queryErrorRatePercent)}.`,
    },
    {
      name: "VegaSyncLagHigh",
      severity: "warning",
      source: "seed 15.1 同步任务 lag",
      indicator: s.syncLag,
      comparison: ">",
      threshold: t.syncLagSeconds,
      discrete: false,
      for: "10m",
      forReason:
        "a large sync run lags for a few minutes by design; 10 m beyond the threshold means the job is stuck or falling behind",
      summary: `A sync job lags more than ${secs(t.syncLagSeconds)}.`,
      description: `Sync job {{ $labels.sync_job }} in {{ $labels.namespace }} lags {{ $value | humanizeDuration }}, above ${secs(t.syncLagSeconds)}.`,
    },
    {
      name: "VegaSyncFailuresHigh",
      severity: "warning",
      source: "seed 15.1 同步任务 failures",
      indicator: s.syncFailures,
      comparison: ">",
      threshold: t.syncFailures,
      discrete: true,
      for: "5m",
      forReason: `the ${failureWindow} window already does the counting; 5 m only keeps a scrape gap or a counter reset from firing`,
      summary: `More than ${t.syncFailures} sync failures in ${failureWindow}.`,
      description: `{{ $value | humanize }} sync runs failed in {{ $labels.namespace }} in the last ${failureWindow}, more than ${t.syncFailures}.`,
    },
    containerLimitAlert(
      "Cpu",
      "cpu",
      "CPU",
      s.cpuUsage,
      t.cpuPercent,
      "15m",
      "CPU bursts are normal; throttling only hurts when it lasts",
    ),
    containerLimitAlert(
      "Memory",
      "mem",
      "memory",
      s.memoryUsage,
      t.memoryPercent,
      "10m",
      "a working set near the limit ends in an OOM kill; 10 m skips short spikes the kernel reclaims",
    ),
    {
      name: "VegaDiskUsageHigh",
      severity: "warning",
      source: "seed 15.1 资源使用 disk",
      indicator: s.diskUsage,
      comparison: ">",
      threshold: t.diskPercent / 100,
      discrete: false,
      for: "5m",
      forReason: "usage only grows; waiting longer only spends the headroom that is left",
      summary: `A volume is more than ${pct(t.diskPercent)} full.`,
      description: `Volume {{ $labels.persistentvolumeclaim }} in {{ $labels.namespace }} is {{ $value | humanizePercentage }} full, above ${pct(t.diskPercent)}.`,
    },
    {
      name: "VegaConnectionWaitHigh",
      severity: "warning",
      source: "seed 15.1 连接池 wait",
      indicator: s.connectionWaitP99,
      comparison: ">",
      threshold: t.connectionWaitSeconds,
      discrete: false,
      guardRate: s.connectionWaitRate,
      for: "10m",
      forReason:
        "a pool briefly exhausted by a burst recovers by itself; 10 m of waiting means the pool is too small or connections leak",
      summary: `Connection pool p99 wait is above ${secs(t.connectionWaitSeconds)}.`,
      description: `p99 connection pool wait of {{ $labels.service }} in {{ $labels.namespace }} is {{ $value | humanizeDuration }}, above ${secs(t.connectionWaitSeconds)}.`,
    },
    {
      name: "VegaCacheHitRateLow",
      severity: "warning",
      source: "seed 15.1 缓存 hit_rate",
      indicator: s.cacheHitRatio,
      comparison: "<",
      threshold: t.cacheHitRatePercent / 100,
      discrete: false,
      guardRate: s.cacheRequestRate,
      for: "15m",
      forReason:
        "a cache emptied by a deploy or a Sentinel failover takes minutes to warm up again",
      summary: `Cache hit rate is below ${pct(t.cacheHitRatePercent)}.`,
      description: `Cache hit rate of {{ $labels.service }} in {{ $labels.namespace }} is {{ $value | humanizePercentage }}, below ${pct(t.cacheHitRatePercent)}.`,
    },
    {
      name: "VegaLogicalBackupTooOld",
      severity: "warning",
      source: "seed 16.2 元数据 pg_dump 每日",
      indicator: selector(s.cronJobSuccessAge, eq("cronjob", o.targets.logicalBackupCronJob)),
      comparison: ">",
      threshold: backupMaxAgeSeconds,
      discrete: false,
      for: "1h",
      forReason:
        "the dump itself takes a while and may start late; an hour past the cadence means a run was missed, not slow",
      summary: `The last logical backup is older than ${t.logicalBackupMaxAgeHours}h.`,
      description: `CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} last succeeded {{ $value | humanizeDuration }} ago, more than ${t.logicalBackupMaxAgeHours}h: the metadata RPO is at risk.`,
    },
    {
      name: "VegaSentinelNoMaster",
      severity: "critical",
      source: "HA: seed 17.5 Redis Sentinel failover",
      indicator: s.sentinelMasterOk,
      comparison: "<",
      threshold: 1,
      discrete: true,
      for: "2m",
      forReason:
        "a Sentinel failover takes down-after plus an election, well under a minute; 2 m without a master means none was elected",
      summary: "A Redis Sentinel sees no healthy master.",
      description:
        "Sentinel {{ $labels.namespace }}/{{ $labels.pod }} sees no Redis master in state ok: cache writes fail until one is elected.",
    },
    {
      name: "VegaGatewaysDegraded",
      severity: "warning",
      source: "HA: seed 17.1 three gateway nodes",
      indicator: gateways,
      comparison: "<",
      threshold: t.minReadyGateways,
      discrete: true,
      for: "5m",
      forReason:
        "a rollout never drops below the minimum; 5 m covers a node drain rescheduling one pod",
      summary: `Fewer than ${t.minReadyGateways} gateways are ready.`,
      description: `Only {{ $value | humanize }} gateways of {{ $labels.namespace }}/{{ $labels.deployment }} are available, fewer than ${t.minReadyGateways}: the region has lost redundancy.`,
    },
    {
      name: "VegaGatewaysDown",
      severity: "critical",
      source: "HA: seed 17.5 gateway failover",
      indicator: gateways,
      comparison: "<",
      threshold: 1,
      discrete: true,
      for: "2m",
      forReason:
        "no ready gateway means the region serves nothing; 2 m skips a readiness flap across all pods",
      summary: "No gateway is ready.",
      description:
        "No gateway of {{ $labels.namespace }}/{{ $labels.deployment }} is available: the region serves no traffic (Route 53 fails over to DR when this is the primary).",
    },
  ];
}
// Stryker restore BooleanLiteral

/** The guard clause: at least `minEvents` events in the rate window, matched per service. */
export function lowTrafficGuard(rateSeries: string, minEvents: number): string {
  return `${rateSeries} * ${RATE_WINDOW_MINUTES * 60} >= ${minEvents}`;
}

/** The runbook anchor of an alert (GitHub lower-cases heading anchors). */
export const runbookUrl = (base: string, alert: string) => `${base}#${alert.toLowerCase()}`;

/** The Prometheus alerting rule of a definition. */
export function alertingRule(
  def: AlertDefinition,
  o: Pick<ObservabilityConfig, "thresholds" | "runbookBaseUrl">,
): AlertingRule {
  const comparison = `${def.indicator} ${def.comparison} ${literal(def.threshold)}`;
  const expr = def.guardRate
    ? `${comparison}\nand on (namespace, service)\n${lowTrafficGuard(def.guardRate, o.thresholds.lowTrafficMinEvents)}`
    : comparison;
  return {
    alert: def.name,
    expr,
    for: def.for,
    labels: { severity: def.severity },
    annotations: {
      summary: def.summary,
      description: def.description,
      runbook_url: runbookUrl(o.runbookBaseUrl, def.name),
    },
  };
}
