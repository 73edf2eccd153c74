import { describe, expect, it } from "vitest";
import {
  ConfigError,
  defaultObservabilityConfig,
  parseStackConfig,
  SEED_ALERT_THRESHOLDS,
} from "../../config";
import { minimalPrimary, refusedKeys } from "../harness/config";
import { seedLoadBalancer, seedSeconds } from "../harness/seed";
import { seedAlertThresholds, seedBackupCell } from "./support/seed";

/** The seed's word for each indicator → our config key. */
const SEED_KEYS: Record<string, keyof typeof SEED_ALERT_THRESHOLDS> = {
  p99: "queryLatencyP99Seconds",
  error_rate: "queryErrorRatePercent",
  lag: "syncLagSeconds",
  failures: "syncFailures",
  cpu: "cpuPercent",
  mem: "memoryPercent",
  disk: "diskPercent",
  wait: "connectionWaitSeconds",
  hit_rate: "cacheHitRatePercent",
};

const base = minimalPrimary();

function problems(observability: unknown): string[] {
  try {
    parseStackConfig({ ...base, observability });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.key}: ${p.message}`);
    throw e;
  }
  return [];
}

describe("observability config defaults", () => {
  const defaults = defaultObservabilityConfig();

  it("equal every threshold of seed 15.1", () => {
    const seed = seedAlertThresholds();
    expect(seed.map((s) => s.token).sort()).toEqual(Object.keys(SEED_KEYS).sort());
    for (const s of seed) expect(defaults.thresholds[SEED_KEYS[s.token]!], s.token).toBe(s.value);
  });

  it("take the backup cadence and the replica lag from seed 16.2, and three gateways from 17.2", () => {
    expect(defaults.thresholds.logicalBackupMaxAgeHours * 3600).toBe(
      seedSeconds(seedBackupCell("pg_dump", "频率")),
    );
    expect(defaults.thresholds.dbReplicaLagSeconds).toBe(seedSeconds(seedBackupCell("WAL", "RPO")));
    expect(defaults.thresholds.minReadyGateways).toBe(seedLoadBalancer().backends.length);
  });

  it("apply when the section is absent from the stack config", () => {
    expect(parseStackConfig(base).observability).toEqual(defaults);
  });

  it("select PrometheusRules by kube-prometheus-stack's release and alert nobody extra", () => {
    const { observability } = parseStackConfig(base);
    expect(observability.prometheusRelease).toBe("kube-prometheus-stack");
    expect(observability.alerting.subscriptions).toEqual([]);
  });
});

describe("bad observability config is refused with its full key", () => {
  it.each([
    [
      { thresholds: { cpuPercent: "eighty" } },
      "vega-ha:observability.thresholds.cpuPercent: expected a percentage",
    ],
    [
      { thresholds: { cpuPercent: 180 } },
      "vega-ha:observability.thresholds.cpuPercent: expected a percentage from 1 to 100, got 180",
    ],
    [
      { thresholds: { syncFailures: 2.5 } },
      "vega-ha:observability.thresholds.syncFailures: expected an integer",
    ],
    [
      { thresholds: { cpuPrecent: 80 } },
      "vega-ha:observability.thresholds.cpuPrecent: unknown key",
    ],
    [
      { prometheusRelease: "Kube Prometheus" },
      "vega-ha:observability.prometheusRelease: expected a lower-case name",
    ],
    [
      { runbookBaseUrl: "http://wiki/runbooks" },
      "vega-ha:observability.runbookBaseUrl: expected an https:// URL",
    ],
    [
      { alerting: { subscriptions: [{ protocol: "pager", endpoint: "x" }] } },
      "vega-ha:observability.alerting.subscriptions[0].protocol: expected one of",
    ],
    [
      { tracing: { backend: "zipkin", endpoint: "jaeger-collector:4317" } },
      "vega-ha:observability.tracing.endpoint: expected an http(s) URL of Zipkin",
    ],
    [
      { tracing: { backend: "jaeger", endpoint: "http://jaeger:14268/api/traces" } },
      "vega-ha:observability.tracing.endpoint: expected host:port",
    ],
    [
      { tracing: { image: "otel/opentelemetry-collector" } },
      "vega-ha:observability.tracing.image: expected an image with a tag or digest",
    ],
  ])("%j", (observability, expected) => {
    expect(problems(observability).join("\n")).toContain(expected);
  });

  it("refuses a subscriber listed twice", () => {
    const oncall = { protocol: "email", endpoint: "oncall@example.com" };
    expect(problems({ alerting: { subscriptions: [oncall, oncall] } })).toEqual([
      'vega-ha:observability.alerting.subscriptions[1]: expected each subscriber once (this one is listed twice), got {"protocol":"email","endpoint":"oncall@example.com"}',
    ]);
  });

  it("lists every problem at once", () => {
    expect(
      problems({ thresholds: { cpuPercent: 0, diskPercent: 101 }, tracing: { replicas: 0 } }),
    ).toHaveLength(3);
  });
});

describe("observability defaults the seed does not give, and their limits", () => {
  const withSection = (observability: object) => ({ ...minimalPrimary(), observability });
  const parsed = (section: object) => parseStackConfig(withSection(section)).observability;
  const refused = (section: object) => refusedKeys(withSection(section));

  it("names the pg_dump CronJob, the Grafana folder, the runbook and the collector", () => {
    const d = defaultObservabilityConfig();
    expect(d.targets.logicalBackupCronJob).toBe("metadata-pg-dump");
    expect(d.dashboards).toEqual({ folder: "Vega" });
    expect(d.runbookBaseUrl).toBe(
      "https://github.com/acme/vega-ha/blob/main/components/observability/RUNBOOK.md",
    );
    expect(d.tracing).toMatchObject({
      enabled: true,
      backend: "jaeger",
      insecure: true,
      image: "otel/opentelemetry-collector:0.116.0",
    });
  });

  it("keeps a backup-age threshold of up to 31 days", () => {
    const age = (h: number) => ({ thresholds: { logicalBackupMaxAgeHours: h } });
    expect(parsed(age(24 * 31)).thresholds.logicalBackupMaxAgeHours).toBe(744);
    expect(refused(age(24 * 31 + 1))).toEqual([
      "vega-ha:observability.thresholds.logicalBackupMaxAgeHours",
    ]);
  });

  it("takes two subscribers on one endpoint by different protocols", () => {
    const subscriptions = [
      { protocol: "email", endpoint: "oncall@example.com" },
      { protocol: "https", endpoint: "https://events.example.com/sns" },
    ];
    expect(parsed({ alerting: { subscriptions } }).alerting.subscriptions).toEqual(subscriptions);
  });

  it("checks a tracing endpoint against its backend, whole", () => {
    const endpoint = (backend: string, e: string) => refused({ tracing: { backend, endpoint: e } });
    const key = ["vega-ha:observability.tracing.endpoint"];
    expect(endpoint("jaeger", "jaeger-collector.observability.svc:4317")).toEqual([]);
    for (const bad of ["http://jaeger:4317", "jaeger:4317/x", "jaeger"])
      expect(endpoint("jaeger", bad), bad).toEqual(key);
    for (const ok of ["http://zipkin:9411/api/v2/spans", "https://z.example.com/api/v2/spans"])
      expect(endpoint("zipkin", ok), ok).toEqual([]);
    for (const bad of [
      "zipkin:9411",
      "see http://zipkin:9411",
      "http://zipkin:9411/a b",
      "http://",
    ])
      expect(endpoint("zipkin", bad), bad).toEqual(key);
  });

  it("takes a collector image pinned by tag or digest, whole", () => {
    const image = (i: string) => refused({ tracing: { image: i } });
    const key = ["vega-ha:observability.tracing.image"];
    for (const ok of [
      "otel/opentelemetry-collector:0.116.0",
      `ghcr.io/acme/otel@sha256:${"ab".repeat(32)}`,
    ])
      expect(image(ok), ok).toEqual([]);
    for (const bad of [
      "otel/opentelemetry-collector",
      "Otel/collector:1",
      "otel/collector:1 2",
      "otel/collector:",
      `otel@sha256:${"ab".repeat(31)}`,
      `otel@sha256:${"AB".repeat(32)}`,
      " otel/collector:1",
    ])
      expect(image(bad), bad).toEqual(key);
  });
});
