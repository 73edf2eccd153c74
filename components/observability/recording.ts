/**
 * Recording rules that derive the seed's indicators (15.1) from the raw metrics of the metrics
 * contract (docs/architecture.md), cAdvisor, kube-state-metrics, kubelet and redis_exporter. Names follow
 * `level:metric:operations`; every aggregation keeps `namespace`. Alerts and dashboards read
 * these series, so a panel shows exactly what its alert compares.
 */
import type { AlertThresholds } from "../../config";
import { aggregate, eq, minutes, ne, rate, RATE_WINDOW_MINUTES, selector } from "./promql";
import type { RecordingRule, RuleGroup } from "./rule-types";

const W = minutes(RATE_WINDOW_MINUTES);

/** The recorded series, by what they mean. Some names depend on config (the failure window). */
export function recordedSeries(thresholds: Pick<AlertThresholds, "syncFailuresWindowMinutes">) {
  return {
    /** Seed: QPS. Queries per second. */
    queryRate: `namespace_service:vega_queries:rate${W}`,
    queryErrorRate: `namespace_service:vega_query_errors:rate${W}`,
    /** Seed: query_error_rate, 0..1. */
    queryErrorRatio: `namespace_service:vega_query_error_rate:ratio_rate${W}`,
    queryLatencyBuckets: `namespace_service_le:vega_query_duration_seconds_bucket:rate${W}`,
    queryLatencyP50: `namespace_service:vega_query_latency_seconds:p50_rate${W}`,
    queryLatencyP95: `namespace_service:vega_query_latency_seconds:p95_rate${W}`,
    /** Seed: query_latency_p99. */
    queryLatencyP99: `namespace_service:vega_query_latency_seconds:p99_rate${W}`,
    /** Seed: sync_lag_seconds, per sync job. */
    syncLag: "namespace_sync_job:vega_sync_lag_seconds:max",
    /** Seed: sync_failure_count over the configured window. */
    syncFailures: `namespace:vega_sync_failures:increase${minutes(thresholds.syncFailuresWindowMinutes)}`,
    syncJobs: "namespace_state:vega_sync_jobs:sum",
    /** Seed: cpu_usage, 0..1 of the container's CPU limit. */
    cpuUsage: `namespace_pod_container:cpu_usage:ratio_rate${W}`,
    /** Seed: memory_usage, 0..1 of the container's memory limit. */
    memoryUsage: "namespace_pod_container:memory_usage:ratio",
    /** Seed: disk_usage, 0..1 of the volume. */
    diskUsage: "namespace_persistentvolumeclaim:disk_usage:ratio",
    /** Seed: connection_pool_active. */
    poolActive: "namespace_service:vega_connection_pool_active:sum",
    connectionWaitBuckets: `namespace_service_le:vega_connection_wait_seconds_bucket:rate${W}`,
    connectionWaitRate: `namespace_service:vega_connection_waits:rate${W}`,
    /** Seed: connection_wait_time (p99). */
    connectionWaitP99: `namespace_service:vega_connection_wait_seconds:p99_rate${W}`,
    cacheRequestRate: `namespace_service:vega_cache_requests:rate${W}`,
    cacheHitRate: `namespace_service:vega_cache_hits:rate${W}`,
    /** Seed: cache_hit_rate, 0..1. */
    cacheHitRatio: `namespace_service:vega_cache_hit_rate:ratio_rate${W}`,
    /** Seed: cache_eviction_rate, evictions per second. */
    cacheEvictionRate: `namespace_service:vega_cache_evictions:rate${W}`,
    /** Seconds since each CronJob last succeeded (the backups are CronJobs). */
    cronJobSuccessAge: "namespace_cronjob:kube_cronjob_last_success_age_seconds:min",
    /** 1 when a Sentinel sees a master in state ok, else 0 (also when it monitors none). */
    sentinelMasterOk: "namespace_pod:redis_sentinel_master_ok:max",
    deploymentAvailable: "namespace_deployment:kube_deployment_status_replicas_available:max",
  } as const;
}

export type RecordedSeries = ReturnType<typeof recordedSeries>;

const record = (name: string, expr: string): RecordingRule => ({ record: name, expr });

/** `(part or whole * 0) / whole`: a part that was never incremented counts as 0, not as missing. */
const ratio = (part: string, whole: string) => `(${part} or ${whole} * 0) / ${whole}`;

const quantile = (q: number, buckets: string) => `histogram_quantile(${q}, ${buckets})`;

/**
 * The recording-rule groups. `namespace` scopes every raw selector to Vega's namespace, so
 * the rules stay Vega's even in a Prometheus that scrapes the whole cluster.
 */
export function recordingRuleGroups(thresholds: AlertThresholds, namespace: string): RuleGroup[] {
  const s = recordedSeries(thresholds);
  const ns = eq("namespace", namespace);
  const workload = [ns, ne("container", ""), ne("container", "POD")];
  const limits = (resource: string) =>
    aggregate(
      "sum",
      ["pod", "container"],
      selector("kube_pod_container_resource_limits", ns, eq("resource", resource)),
    );
  const byService = (expr: string) => aggregate("sum", ["service"], expr);
  const bucketsByService = (metric: string) =>
    aggregate("sum", ["service", "le"], rate(selector(metric, ns)));

  return [
    {
      name: "vega.query.rules",
      rules: [
        record(s.queryRate, byService(rate(selector("vega_queries_total", ns)))),
        record(s.queryErrorRate, byService(rate(selector("vega_query_errors_total", ns)))),
        record(s.queryErrorRatio, ratio(s.queryErrorRate, s.queryRate)),
        record(s.queryLatencyBuckets, bucketsByService("vega_query_duration_seconds_bucket")),
        record(s.queryLatencyP50, quantile(0.5, s.queryLatencyBuckets)),
        record(s.queryLatencyP95, quantile(0.95, s.queryLatencyBuckets)),
        record(s.queryLatencyP99, quantile(0.99, s.queryLatencyBuckets)),
      ],
    },
    {
      name: "vega.sync.rules",
      rules: [
        record(s.syncLag, aggregate("max", ["sync_job"], selector("vega_sync_lag_seconds", ns))),
        record(
          s.syncFailures,
          aggregate(
            "sum",
            [],
            `increase(${selector("vega_sync_failures_total", ns)}[${minutes(thresholds.syncFailuresWindowMinutes)}])`,
          ),
        ),
        record(s.syncJobs, aggregate("sum", ["state"], selector("vega_sync_jobs", ns))),
      ],
    },
    {
      name: "vega.resources.rules",
      rules: [
        record(
          s.cpuUsage,
          `${aggregate("sum", ["pod", "container"], rate(selector("container_cpu_usage_seconds_total", ...workload)))} / ${limits("cpu")}`,
        ),
        record(
          s.memoryUsage,
          `${aggregate("sum", ["pod", "container"], selector("container_memory_working_set_bytes", ...workload))} / ${limits("memory")}`,
        ),
        record(
          s.diskUsage,
          `${aggregate("max", ["persistentvolumeclaim"], selector("kubelet_volume_stats_used_bytes", ns))} / ${aggregate("max", ["persistentvolumeclaim"], selector("kubelet_volume_stats_capacity_bytes", ns))}`,
        ),
      ],
    },
    {
      name: "vega.connections.rules",
      rules: [
        record(s.poolActive, byService(selector("vega_connection_pool_active", ns))),
        record(s.connectionWaitBuckets, bucketsByService("vega_connection_wait_seconds_bucket")),
        record(
          s.connectionWaitRate,
          byService(rate(selector("vega_connection_wait_seconds_count", ns))),
        ),
        record(s.connectionWaitP99, quantile(0.99, s.connectionWaitBuckets)),
      ],
    },
    {
      name: "vega.cache.rules",
      rules: [
        record(s.cacheRequestRate, byService(rate(selector("vega_cache_requests_total", ns)))),
        record(
          s.cacheHitRate,
          byService(rate(selector("vega_cache_requests_total", ns, eq("result", "hit")))),
        ),
        record(s.cacheHitRatio, ratio(s.cacheHitRate, s.cacheRequestRate)),
        record(s.cacheEvictionRate, byService(rate(selector("vega_cache_evictions_total", ns)))),
      ],
    },
    {
      name: "vega.ha.rules",
      rules: [
        record(
          s.cronJobSuccessAge,
          `time() - ${aggregate("max", ["cronjob"], selector("kube_cronjob_status_last_successful_time", ns))}`,
        ),
        record(
          s.sentinelMasterOk,
          `${aggregate("max", ["pod"], selector("redis_sentinel_master_status", ns))} or ${aggregate("max", ["pod"], selector("redis_sentinel_masters", ns))} * 0`,
        ),
        record(
          s.deploymentAvailable,
          aggregate(
            "max",
            ["deployment"],
            selector("kube_deployment_status_replicas_available", ns),
          ),
        ),
      ],
    },
  ];
}
