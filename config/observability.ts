/**
 * Observability config: alert thresholds (seed 15.1, plus what the HA topology needs), where
 * alerts go (SNS subscribers), what kube-prometheus-stack and Grafana pick up, and tracing
 * (seed 15.3). One threshold value feeds the Prometheus rule, the CloudWatch alarm and the
 * dashboard line that belong to it.
 */
import type { z } from "zod";
import {
  bool,
  integer,
  list,
  matching,
  oneOf,
  percent,
  refuse,
  seconds,
  section,
  slug,
  strict,
  text,
} from "./types";

/** Seed 15.1 告警阈值, in the units the keys name. */
export const SEED_ALERT_THRESHOLDS = {
  /** 查询性能: p99 > 5s. */
  queryLatencyP99Seconds: 5,
  /** 查询性能: error_rate > 1%. */
  queryErrorRatePercent: 1,
  /** 同步任务: lag > 300s. */
  syncLagSeconds: 300,
  /** 同步任务: failures > 3. */
  syncFailures: 3,
  /** 资源使用: cpu > 80%. */
  cpuPercent: 80,
  /** 资源使用: mem > 85%. */
  memoryPercent: 85,
  /** 资源使用: disk > 90%. */
  diskPercent: 90,
  /** 连接池: wait > 1s. */
  connectionWaitSeconds: 1,
  /** 缓存: hit_rate < 70%. */
  cacheHitRatePercent: 70,
} as const;

/** Seed 16.2: pg_dump runs daily (每日), RPO 24 h. */
export const SEED_LOGICAL_BACKUP_CADENCE_HOURS = 24;
/** Seed 16.2: WAL archive RPO 5 min, the most the DR database replica may lag. */
export const SEED_WAL_RPO_SECONDS = 300;
/** Seed 17.1/17.2: three gateway nodes behind the load balancer. */
export const SEED_GATEWAY_NODES = 3;

const subscriptionSchema = strict({
  /** SNS protocol. email needs a click to confirm; https suits PagerDuty/Opsgenie endpoints. */
  protocol: oneOf(["email", "https", "sqs", "lambda", "sms"] as const),
  /** Address for that protocol: an e-mail, an https URL, a queue or function ARN, a phone number. */
  endpoint: text("an endpoint (e-mail, https URL, ARN or phone number)"),
});

export const observabilitySchema = section({
  /**
   * Value of the `release` label kube-prometheus-stack's Prometheus selects PrometheusRules by
   * (its Helm release name). Default "kube-prometheus-stack".
   */
  prometheusRelease: slug(53).default("kube-prometheus-stack"),
  /**
   * Base of every alert's runbook_url; the alert name, lower-cased, is appended as the anchor.
   * Default: this repository's components/observability/RUNBOOK.md.
   */
  runbookBaseUrl: matching(/^https:\/\/\S+$/, "an https:// URL").default(
    "https://github.com/acme/vega-ha/blob/main/components/observability/RUNBOOK.md",
  ),
  thresholds: section({
    /** Query p99 latency, seconds. Default 5 (seed 15.1). */
    queryLatencyP99Seconds: seconds(0.01, 600).default(
      SEED_ALERT_THRESHOLDS.queryLatencyP99Seconds,
    ),
    /** Failed queries, percent of all. Default 1 (seed 15.1). */
    queryErrorRatePercent: percent(0.01, 100).default(SEED_ALERT_THRESHOLDS.queryErrorRatePercent),
    /** Sync lag per job, seconds. Default 300 (seed 15.1). */
    syncLagSeconds: seconds(1, 86_400).default(SEED_ALERT_THRESHOLDS.syncLagSeconds),
    /** Sync failures per window (below). Default 3 (seed 15.1). */
    syncFailures: integer(0, 10_000).default(SEED_ALERT_THRESHOLDS.syncFailures),
    /** Window the sync failures are counted over, minutes. Default 60 (the seed gives none). */
    syncFailuresWindowMinutes: integer(5, 1440).default(60),
    /** Container CPU, percent of its limit. Default 80 (seed 15.1). */
    cpuPercent: percent().default(SEED_ALERT_THRESHOLDS.cpuPercent),
    /** Container memory working set, percent of its limit. Default 85 (seed 15.1). */
    memoryPercent: percent().default(SEED_ALERT_THRESHOLDS.memoryPercent),
    /** Volume (PVC, RDS storage, OpenSearch node disk) used, percent. Default 90 (seed 15.1). */
    diskPercent: percent().default(SEED_ALERT_THRESHOLDS.diskPercent),
    /** Connection pool wait, p99, seconds. Default 1 (seed 15.1). */
    connectionWaitSeconds: seconds(0.001, 600).default(SEED_ALERT_THRESHOLDS.connectionWaitSeconds),
    /** Cache hits, percent of lookups; alerts below it. Default 70 (seed 15.1). */
    cacheHitRatePercent: percent().default(SEED_ALERT_THRESHOLDS.cacheHitRatePercent),
    /**
     * Low-traffic guard: ratios and quantiles are only alerted on with at least this many
     * events (queries, cache lookups, pool checkouts) in the 5-minute window, so one failure out
     * of a handful cannot page. Default 100 (one error is then at most the seed's 1 %).
     */
    lowTrafficMinEvents: integer(1, 1_000_000).default(100),
    /** Age of the last successful logical backup (pg_dump), hours. Default 24 (seed 16.2: daily). */
    logicalBackupMaxAgeHours: integer(1, 24 * 31).default(SEED_LOGICAL_BACKUP_CADENCE_HOURS),
    /**
     * Ready gateways below which redundancy is lost. Default 3 (seed 17.1: three gateway nodes).
     * At least 2: none ready at all is its own, critical alert.
     */
    minReadyGateways: integer(2, 100).default(SEED_GATEWAY_NODES),
    /**
     * RDS connections, percent of max_connections. Default 80: the seed gives no threshold for
     * the database's connections (its 连接池 row is the client pool's wait,
     * connectionWaitSeconds); 80 is its resource rows' first line (cpu > 80%).
     */
    dbConnectionsPercent: percent().default(80),
    /** RDS replica lag (CloudWatch), seconds. Default 300 (seed 16.2: WAL RPO 5 min). */
    dbReplicaLagSeconds: seconds(1, 86_400).default(SEED_WAL_RPO_SECONDS),
  }),
  /** Workloads the HA alerts watch that no component of this project names yet. */
  targets: section({
    /** CronJob of the daily pg_dump. Default "metadata-pg-dump" (seed 16.1 metadata/daily/). */
    logicalBackupCronJob: slug(52).default("metadata-pg-dump"),
  }),
  alerting: section({
    /** Who the CloudWatch alarms' SNS topic notifies. Default none (alarms still show in the console). */
    subscriptions: list(subscriptionSchema, 0, "a list of {protocol, endpoint}").default([]),
  }),
  dashboards: section({
    /**
     * Namespace of the dashboard ConfigMaps. Default: kubernetes.namespace (the Grafana sidecar
     * must search it: `sidecar.dashboards.searchNamespace: ALL` in kube-prometheus-stack).
     */
    namespace: slug(63).optional(),
    /** Grafana folder (the sidecar's folder annotation). Default "Vega". */
    folder: text("a folder name").default("Vega"),
  }),
  tracing: section({
    /** Deploy the OpenTelemetry Collector. Default true. */
    enabled: bool().default(true),
    /** Trace backend: jaeger (OTLP gRPC) or zipkin (its v2 JSON API). Default jaeger. */
    backend: oneOf(["jaeger", "zipkin"] as const).default("jaeger"),
    /**
     * Backend endpoint. Default per backend: jaeger-collector.observability.svc:4317 (host:port)
     * or http://zipkin.observability.svc:9411/api/v2/spans (URL).
     */
    endpoint: text("an endpoint").optional(),
    /** Plain-text gRPC to the backend (in-cluster, no TLS). Default true. */
    insecure: bool().default(true),
    /** Collector replicas. Default 2 (one can restart while the other takes spans). */
    replicas: integer(1, 20).default(2),
    /** Collector image, core distribution (OTLP, batch, memory_limiter, zipkin, health_check). */
    image: matching(
      /^[a-z0-9./-]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/,
      "an image with a tag or digest",
    ).default("otel/opentelemetry-collector:0.116.0"),
    /** Memory limit of each collector container, MiB; memory_limiter holds it to 80 %. Default 512. */
    memoryLimitMiB: integer(128, 16_384).default(512),
    /** CPU request of each collector container, millicores. Default 200. */
    cpuRequestMillicores: integer(10, 16_000).default(200),
  }),
}).superRefine((o, ctx) => {
  const seen = new Set<string>();
  o.alerting.subscriptions.forEach((s, i) => {
    const key = `${s.protocol}:${s.endpoint}`;
    if (seen.has(key))
      refuse(
        ctx,
        ["alerting", "subscriptions", i],
        s,
        "expected each subscriber once (this one is listed twice)",
      );
    seen.add(key);
  });
  const tracing = o.tracing;
  // An empty endpoint is text()'s problem, reported once.
  if (tracing.endpoint) {
    const problem = tracingEndpointProblem(tracing.backend, tracing.endpoint);
    if (problem) refuse(ctx, ["tracing", "endpoint"], tracing.endpoint, problem);
  }
});

/** Jaeger takes OTLP gRPC (host:port); Zipkin takes an http(s) URL of its span API. */
export function tracingEndpointProblem(
  backend: "jaeger" | "zipkin",
  endpoint: string,
): string | undefined {
  if (backend === "jaeger" && !/^[a-z0-9.-]+:\d{1,5}$/i.test(endpoint))
    return "expected host:port of Jaeger's OTLP gRPC receiver (e.g. jaeger-collector.observability.svc:4317) when tracing.backend is jaeger";
  if (backend === "zipkin" && !/^https?:\/\/\S+$/.test(endpoint))
    return "expected an http(s) URL of Zipkin's span API (e.g. http://zipkin:9411/api/v2/spans) when tracing.backend is zipkin";
  return undefined;
}

export type ObservabilityConfig = z.infer<typeof observabilitySchema>;
export type AlertThresholds = ObservabilityConfig["thresholds"];
export type TracingConfig = ObservabilityConfig["tracing"];
export type AlertSubscription = z.infer<typeof subscriptionSchema>;

/** The config with every default applied: what a stack without an observability key gets. */
export const defaultObservabilityConfig = (): ObservabilityConfig =>
  observabilitySchema.parse(undefined);
