import { describe, expect, it } from "vitest";
import {
  ConfigError,
  defaultObservabilityConfig,
  parseStackConfig,
  SEED_ALERT_THRESHOLDS,
} from "../../config";
import { minimalPrimary } from "../harness/config";
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
