/**
 * Generates `promtool test rules` cases from the alert catalogue: for every alert, raw series
 * that hold its indicator just past the threshold (it must not fire before `for` has passed,
 * and must fire after, with the exact labels and annotations) and just inside it (it must never
 * fire); guarded alerts also get a low-traffic case that must stay quiet. Values come from the
 * thresholds in config, never from numbers written here.
 */
import { alertDefinitions, type AlertDefinition } from "../../../components/observability/alerts";
import { durationSeconds, RATE_WINDOW_MINUTES } from "../../../components/observability/promql";
import type { ResolvedObservability } from "./configs";
import { expandTemplate } from "./go-template";

type Labels = Record<string, string>;

interface InputSeries {
  labels: Labels & { __name__: string };
  /** Value at minute i. */
  at: (minute: number) => number;
}

interface Expected {
  labels: Labels;
  /** The indicator's steady value (what `$value` shows once the alert fires). */
  value: number;
}

interface Scenario {
  series: InputSeries[];
  expected: Expected[];
  /** Earliest and latest minute at which the indicator first reaches its value. */
  reachedBetween: [number, number];
}

interface FixtureContext {
  namespace: string;
  /** Events (queries, lookups, waits) in one 5 m window. */
  eventsPerWindow: number;
  config: ResolvedObservability;
}

type Fixture = (value: number, ctx: FixtureContext) => Scenario;

const counter = (perMinute: number) => (i: number) => perMinute * i;
const constant = (v: number) => () => v;
const series = (name: string, labels: Labels, at: (i: number) => number): InputSeries => ({
  labels: { __name__: name, ...labels },
  at,
});
const steady = (value: number, labels: Labels): Expected => ({ labels, value });
const W = RATE_WINDOW_MINUTES;

/** A histogram whose p99 is `value`: every observation in one bucket (0, value/0.99]. */
function histogram(name: string, labels: Labels, value: number, perMinute: number): InputSeries[] {
  const upper = value / 0.99;
  return [
    series(`${name}_bucket`, { ...labels, le: String(upper) }, counter(perMinute)),
    series(`${name}_bucket`, { ...labels, le: "+Inf" }, counter(perMinute)),
    series(`${name}_count`, labels, counter(perMinute)),
    series(`${name}_sum`, labels, counter(perMinute * value)),
  ];
}

const service = (ctx: FixtureContext, name: string) => ({
  namespace: ctx.namespace,
  service: name,
});
const perMinute = (ctx: FixtureContext) => ctx.eventsPerWindow / W;

/** One fixture per alert: raw series that hold the alert's indicator at `value`. */
const FIXTURES: Record<string, Fixture> = {
  VegaQueryLatencyP99High: (value, ctx) => {
    const labels = { ...service(ctx, "query"), asset: "sales.orders", engine: "duckdb" };
    return {
      series: [
        ...histogram("vega_query_duration_seconds", labels, value, perMinute(ctx)),
        series("vega_queries_total", labels, counter(perMinute(ctx))),
      ],
      expected: [steady(value, service(ctx, "query"))],
      reachedBetween: [1, 1],
    };
  },
  VegaQueryErrorRateHigh: (value, ctx) => {
    const labels = { ...service(ctx, "query"), asset: "logs.events", engine: "trino" };
    return {
      series: [
        series("vega_queries_total", labels, counter(perMinute(ctx))),
        series("vega_query_errors_total", labels, counter(perMinute(ctx) * value)),
      ],
      expected: [steady(value, service(ctx, "query"))],
      reachedBetween: [1, 1],
    };
  },
  VegaSyncLagHigh: (value, ctx) => ({
    series: [
      series(
        "vega_sync_lag_seconds",
        { ...service(ctx, "sync"), sync_job: "orders" },
        constant(value),
      ),
    ],
    expected: [steady(value, { namespace: ctx.namespace, sync_job: "orders" })],
    reachedBetween: [0, 0],
  }),
  VegaSyncFailuresHigh: (value, ctx) => {
    // `value` failures land at once every window: any window then holds exactly `value`.
    const window = ctx.config.thresholds.syncFailuresWindowMinutes;
    return {
      series: [
        series(
          "vega_sync_failures_total",
          service(ctx, "sync"),
          (i) => value * Math.floor(i / window),
        ),
      ],
      expected: [steady(value, { namespace: ctx.namespace })],
      reachedBetween: [window, window],
    };
  },
  VegaCpuUsageHigh: (value, ctx) => {
    const pod = { namespace: ctx.namespace, pod: "query-7d9f-abcde", container: "query" };
    const cores = 2;
    return {
      series: [
        series(
          "container_cpu_usage_seconds_total",
          { ...pod, image: "vega/query:1.4.2" },
          counter(60 * cores * value),
        ),
        series("container_cpu_usage_seconds_total", { ...pod, container: "POD" }, counter(600)),
        series(
          "kube_pod_container_resource_limits",
          { ...pod, resource: "cpu", unit: "core" },
          constant(cores),
        ),
      ],
      expected: [steady(value, pod)],
      // The rate ramps up over its window: the value is reached somewhere in the first one.
      reachedBetween: [1, W],
    };
  },
  VegaMemoryUsageHigh: (value, ctx) => {
    const pod = { namespace: ctx.namespace, pod: "sync-5c4b-fghij", container: "sync" };
    const limit = 2 * 1024 ** 3;
    return {
      series: [
        series("container_memory_working_set_bytes", pod, constant(Math.round(limit * value))),
        series(
          "kube_pod_container_resource_limits",
          { ...pod, resource: "memory", unit: "byte" },
          constant(limit),
        ),
      ],
      expected: [steady(Math.round(limit * value) / limit, pod)],
      reachedBetween: [0, 0],
    };
  },
  VegaDiskUsageHigh: (value, ctx) => {
    const pvc = { namespace: ctx.namespace, persistentvolumeclaim: "data-redis-0" };
    const capacity = 100 * 1024 ** 3;
    return {
      series: [
        series("kubelet_volume_stats_used_bytes", pvc, constant(Math.round(capacity * value))),
        series("kubelet_volume_stats_capacity_bytes", pvc, constant(capacity)),
      ],
      expected: [steady(Math.round(capacity * value) / capacity, pvc)],
      reachedBetween: [0, 0],
    };
  },
  VegaConnectionWaitHigh: (value, ctx) => ({
    series: histogram(
      "vega_connection_wait_seconds",
      { ...service(ctx, "query"), pool: "metadata" },
      value,
      perMinute(ctx),
    ),
    expected: [steady(value, service(ctx, "query"))],
    reachedBetween: [1, 1],
  }),
  VegaCacheHitRateLow: (value, ctx) => {
    const labels = service(ctx, "query");
    return {
      series: [
        series(
          "vega_cache_requests_total",
          { ...labels, result: "hit" },
          counter(perMinute(ctx) * value),
        ),
        series(
          "vega_cache_requests_total",
          { ...labels, result: "miss" },
          counter(perMinute(ctx) * (1 - value)),
        ),
      ],
      expected: [steady(value, labels)],
      reachedBetween: [1, 1],
    };
  },
  VegaLogicalBackupTooOld: (value, ctx) => {
    const cronjob = { namespace: ctx.namespace, cronjob: ctx.config.targets.logicalBackupCronJob };
    // The last success trails the clock by `value`, so the age holds still: promtool evaluates the
    // groups of a step in no fixed order, and a growing age would read one step stale or fresh.
    return {
      series: [
        series("kube_cronjob_status_last_successful_time", cronjob, (i) => i * 60 - value),
        series(
          "kube_cronjob_status_last_successful_time",
          { namespace: ctx.namespace, cronjob: "search-snapshot" },
          constant(-10 * value),
        ),
      ],
      expected: [steady(value, cronjob)],
      reachedBetween: [0, 0],
    };
  },
  VegaSentinelNoMaster: (value, ctx) => {
    const sentinel = (pod: string) => ({ namespace: ctx.namespace, pod });
    const master = { master_name: "vega", master_address: "redis-0.redis-headless.vega.svc:6379" };
    if (value >= 1) {
      return {
        series: [
          series("redis_sentinel_masters", sentinel("redis-sentinel-0"), constant(1)),
          series(
            "redis_sentinel_master_status",
            { ...sentinel("redis-sentinel-0"), ...master, master_status: "ok" },
            constant(1),
          ),
        ],
        expected: [],
        reachedBetween: [0, 0],
      };
    }
    // Two ways to see no master: the monitored one is down, or none is monitored at all.
    return {
      series: [
        series("redis_sentinel_masters", sentinel("redis-sentinel-0"), constant(1)),
        series(
          "redis_sentinel_master_status",
          { ...sentinel("redis-sentinel-0"), ...master, master_status: "odown" },
          constant(0),
        ),
        series("redis_sentinel_masters", sentinel("redis-sentinel-1"), constant(0)),
      ],
      expected: [steady(0, sentinel("redis-sentinel-0")), steady(0, sentinel("redis-sentinel-1"))],
      reachedBetween: [0, 0],
    };
  },
  VegaGatewaysDegraded: (value, ctx) => gatewayFixture(value, ctx),
  VegaGatewaysDown: (value, ctx) => gatewayFixture(value, ctx),
};

function gatewayFixture(value: number, ctx: FixtureContext): Scenario {
  const gateway = { namespace: ctx.namespace, deployment: ctx.config.targets.gatewayDeployment };
  return {
    series: [
      series("kube_deployment_status_replicas_available", gateway, constant(value)),
      // Another deployment at zero must not count as the gateways.
      series(
        "kube_deployment_status_replicas_available",
        { namespace: ctx.namespace, deployment: "cdc" },
        constant(0),
      ),
    ],
    expected: [steady(value, gateway)],
    reachedBetween: [0, 0],
  };
}

export const fixtureNames = () => Object.keys(FIXTURES);

/** A value just past the threshold, and one just inside it. */
export function probeValues(def: Pick<AlertDefinition, "threshold" | "comparison" | "discrete">): {
  crossing: number;
  inside: number;
} {
  const up = def.comparison === ">";
  if (def.discrete)
    return { crossing: up ? def.threshold + 1 : def.threshold - 1, inside: def.threshold };
  const margin = 0.01;
  return {
    crossing: def.threshold * (up ? 1 + margin : 1 - margin),
    inside: def.threshold * (up ? 1 - margin : 1 + margin),
  };
}

const renderLabels = ({ __name__, ...rest }: InputSeries["labels"]) =>
  `${__name__}{${Object.entries(rest)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ")}}`;

const renderValues = (s: InputSeries, minutes: number) =>
  Array.from({ length: minutes + 1 }, (_, i) => String(s.at(i))).join(" ");

interface AlertCheck {
  eval_time: string;
  alertname: string;
  exp_alerts: { exp_labels: Labels; exp_annotations: Labels }[];
}

export interface PromtoolTestGroup {
  name: string;
  interval: string;
  input_series: { series: string; values: string }[];
  alert_rule_test: AlertCheck[];
}

function expectedAlerts(
  def: AlertDefinition,
  scenario: Scenario,
  runbook: (name: string) => string,
) {
  return scenario.expected.map((e) => ({
    exp_labels: { ...e.labels, severity: def.severity },
    exp_annotations: {
      summary: def.summary,
      description: expandTemplate(def.description, e.labels, e.value),
      runbook_url: runbook(def.name),
    },
  }));
}

/** The promtool test groups of one alert. */
export function alertTestGroups(
  def: AlertDefinition,
  config: ResolvedObservability,
  namespace: string,
  runbook: (name: string) => string,
): PromtoolTestGroup[] {
  const fixture = FIXTURES[def.name];
  if (!fixture)
    throw new Error(
      `no promtool fixture for alert ${def.name}: add one to test/observability/support/alert-scenarios.ts`,
    );
  const forMinutes = durationSeconds(def.for) / 60;
  const minEvents = config.thresholds.lowTrafficMinEvents;
  const { crossing, inside } = probeValues(def);

  const build = (
    name: string,
    value: number,
    eventsPerWindow: number,
    checks: (s: Scenario, horizon: number) => AlertCheck[],
  ): PromtoolTestGroup => {
    const scenario = fixture(value, { namespace, eventsPerWindow, config });
    // The latest first crossing, the `for`, and two steps of slack.
    const horizon = scenario.reachedBetween[1] + forMinutes + 2;
    return {
      name: `${def.name}: ${name}`,
      interval: "1m",
      input_series: scenario.series.map((s) => ({
        series: renderLabels(s.labels),
        values: renderValues(s, horizon),
      })),
      alert_rule_test: checks(scenario, horizon),
    };
  };
  const check = (minute: number, exp_alerts: AlertCheck["exp_alerts"]): AlertCheck => ({
    eval_time: `${minute}m`,
    alertname: def.name,
    exp_alerts,
  });
  // Ten times the guard's minimum of events: well clear of it.
  const busy = minEvents * 10;

  const groups = [
    build(`at ${crossing} it fires only after ${def.for}`, crossing, busy, (s) => {
      // promtool evaluates a step's groups in no fixed order: an alert may read its recorded
      // series one step late, so it fires by, not at, the latest crossing plus `for` plus a step.
      const [earliest, latest] = s.reachedBetween;
      return [
        check(earliest + forMinutes - 1, []),
        check(latest + forMinutes + 1, expectedAlerts(def, s, runbook)),
      ];
    }),
    build(`at ${inside} it never fires`, inside, busy, (_s, horizon) => [check(horizon, [])]),
  ];
  if (def.guardRate) {
    groups.push(
      build(
        `at ${crossing} with ${minEvents / 2} events per window (below the guard) it stays quiet`,
        crossing,
        minEvents / 2,
        (_s, horizon) => [check(horizon, [])],
      ),
    );
  }
  return groups;
}

/** The whole promtool test file for a config. */
export function promtoolTestFile(
  config: ResolvedObservability,
  namespace: string,
  ruleFile: string,
  runbook: (name: string) => string,
) {
  return {
    rule_files: [ruleFile],
    evaluation_interval: "1m",
    tests: alertDefinitions(config).flatMap((def) =>
      alertTestGroups(def, config, namespace, runbook),
    ),
  };
}
