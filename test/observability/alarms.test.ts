import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultObservabilityConfig, type AlertThresholds } from "../../config";
import { REPLICATION_TIME_MINUTES } from "../../components/backup/replication";
import {
  albAlarms,
  OPENSEARCH_METRIC_INTERVAL_SECONDS,
  openSearchAlarms,
  rdsAlarms,
  replicationLagBoundSeconds,
  s3ReplicationAlarms,
} from "../../components/observability/alarms/builders";
import {
  alarmSpecProblems,
  isExpression,
  metricAlarmArgs,
  type AlarmSpec,
  type WatchedMetric,
} from "../../components/observability/alarms/spec";
import { CLOUDWATCH_METRICS as CW } from "../../components/observability/cloudwatch-metrics";
import { arbitraryThresholds } from "./support/arbitraries";

const t = defaultObservabilityConfig().thresholds;
const TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts";
const byId = (specs: AlarmSpec[], id: string) => {
  const spec = specs.find((s) => s.id === id);
  if (!spec) throw new Error(`no alarm ${id} in ${specs.map((s) => s.id).join(", ")}`);
  return spec;
};
const single = (s: AlarmSpec) => s.watch as WatchedMetric;

const alb = (thresholds: AlertThresholds = t) =>
  albAlarms({
    name: "edge",
    loadBalancer: "app/vega-prod/0123abcd",
    targetGroup: "targetgroup/vega-gw/4567ef",
    thresholds,
  });
const rds = (replica: boolean, thresholds: AlertThresholds = t) =>
  rdsAlarms({
    name: "metadata",
    instanceId: "vega-prod-pg",
    allocatedStorageGiB: 200,
    maxConnections: 1802,
    replica,
    thresholds,
  });
const LAG_MINUTES = 15;
const search = (
  follower: boolean,
  thresholds: AlertThresholds = t,
  lagPeriodMinutes = LAG_MINUTES,
) =>
  openSearchAlarms({
    name: "search",
    domainName: "vega-prod",
    accountId: "123456789012",
    volumeSizeGiB: 100,
    follower: follower && { leaderAlias: "vega-primary", lagPeriodMinutes },
    thresholds,
  });
const s3 = () =>
  s3ReplicationAlarms({
    name: "backup-replication",
    sourceBucket: "src",
    destinationBucket: "dst",
    ruleId: "primary-to-dr",
    replicationTimeMinutes: REPLICATION_TIME_MINUTES,
  });

describe("albAlarms", () => {
  it("alarms on the 5xx share at the seed error rate, guarded by the rules' low-traffic floor per minute", () => {
    const spec = byId(alb(), "edge-5xx-rate");
    expect(spec.threshold).toBe(t.queryErrorRatePercent);
    expect(isExpression(spec.watch) && spec.watch.expression).toBe(
      `IF(requests >= ${t.lowTrafficMinEvents / 5}, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)`,
    );
    expect(spec.severity).toBe("critical");
  });

  it("alarms on p99 target response time at the seed p99, and on unhealthy or missing healthy targets", () => {
    const specs = alb();
    expect(single(byId(specs, "edge-p99-latency"))).toMatchObject({
      stat: "p99",
      metric: CW.albTargetResponseTime,
    });
    expect(byId(specs, "edge-p99-latency").threshold).toBe(t.queryLatencyP99Seconds);
    expect(single(byId(specs, "edge-unhealthy-targets")).dimensions).toEqual({
      LoadBalancer: "app/vega-prod/0123abcd",
      TargetGroup: "targetgroup/vega-gw/4567ef",
    });
    expect(byId(specs, "edge-no-healthy-targets")).toMatchObject({
      comparison: "LessThanThreshold",
      threshold: 1,
      treatMissingData: "breaching",
    });
  });

  it("renders MetricAlarm arguments: math returns exactly one series, percentiles use extendedStatistic", () => {
    const rate = metricAlarmArgs(byId(alb(), "edge-5xx-rate"), {
      name: "a",
      region: "us-east-1",
      topicArn: TOPIC,
    });
    const queries = rate.metricQueries as {
      id: string;
      returnData: boolean;
      metric?: { stat: string };
    }[];
    expect(queries.filter((q) => q.returnData).map((q) => q.id)).toEqual(["result"]);
    expect(queries.filter((q) => q.metric).every((q) => q.metric!.stat === "Sum")).toBe(true);
    expect(rate.metricName).toBeUndefined();

    const p99 = metricAlarmArgs(byId(alb(), "edge-p99-latency"), {
      name: "b",
      region: "us-east-1",
      topicArn: TOPIC,
    });
    expect(p99).toMatchObject({
      extendedStatistic: "p99",
      evaluateLowSampleCountPercentiles: "ignore",
      alarmActions: [TOPIC],
      okActions: [TOPIC],
      tags: { severity: "warning" },
    });
    expect(p99.statistic).toBeUndefined();
    const cpu = byId(rds(false), "metadata-cpu");
    const plain = metricAlarmArgs(cpu, { name: "c", region: "us-east-1", topicArn: TOPIC });
    expect(plain.statistic).toBe(single(cpu).stat);
    expect(plain.extendedStatistic).toBeUndefined();
    expect(plain.period).toBe(single(cpu).periodSeconds);
    // The notification leads with the severity the routing keys on.
    const spec = byId(alb(), "edge-p99-latency");
    expect(p99.alarmDescription).toBe(`[${spec.severity}] ${spec.description}`);
  });
});

describe("s3ReplicationAlarms", () => {
  it("puts latency in the destination's region at the Replication Time Control threshold, failures in the source's", () => {
    const { destinationRegion, sourceRegion } = s3();
    expect(destinationRegion.map((s) => single(s).metric.metricName)).toEqual([
      CW.s3ReplicationLatency.metricName,
    ]);
    expect(destinationRegion[0]!.threshold).toBe(REPLICATION_TIME_MINUTES * 60);
    expect(sourceRegion.map((s) => single(s).metric.metricName)).toEqual([
      CW.s3OperationsFailedReplication.metricName,
    ]);
    expect(CW.s3ReplicationLatency.publishedIn).toMatch(/destination/);
    expect(CW.s3OperationsFailedReplication.publishedIn).toMatch(/source/);
    for (const spec of [...destinationRegion, ...sourceRegion])
      expect(single(spec).dimensions).toEqual({
        SourceBucket: "src",
        DestinationBucket: "dst",
        RuleId: "primary-to-dr",
      });
  });
});

describe("rdsAlarms and openSearchAlarms", () => {
  it("size the free-storage thresholds from the seed disk threshold", () => {
    expect(byId(rds(false), "metadata-free-storage").threshold).toBe(
      Math.round(200 * 1024 ** 3 * (1 - t.diskPercent / 100)),
    );
    expect(byId(search(false), "search-free-storage").threshold).toBe(
      Math.round(100 * 1024 * (1 - t.diskPercent / 100)),
    );
  });

  it("alarm on replica lag only for replicas, on replication only for followers", () => {
    expect(rds(false).map((s) => s.id)).not.toContain("metadata-replica-lag");
    expect(byId(rds(true), "metadata-replica-lag")).toMatchObject({
      threshold: t.dbReplicaLagSeconds,
      severity: "critical",
    });
    expect(search(false).map((s) => s.id)).not.toContain("search-replication-failed");
    expect(byId(search(true), "search-replication-failed").severity).toBe("critical");
  });

  it("alarm on an instance's connections at dbConnectionsPercent of its max_connections", () => {
    const spec = byId(rds(false), "metadata-connections");
    expect(single(spec)).toMatchObject({
      metric: CW.rdsConnections,
      stat: "Maximum",
      dimensions: { DBInstanceIdentifier: "vega-prod-pg" },
    });
    expect(spec.threshold).toBe(Math.floor(1802 * (t.dbConnectionsPercent / 100)));
    expect(spec.comparison).toBe("GreaterThanThreshold");
    expect(byId(rds(true), "metadata-connections").threshold).toBe(spec.threshold);
  });

  it("alarm on follower lag as time: the leader's checkpoint at a period's start against the follower's at its end", () => {
    expect(search(false).map((s) => s.id)).not.toContain("search-replication-lag");
    const lag = byId(search(true), "search-replication-lag");
    expect(isExpression(lag.watch)).toBe(true);
    if (!isExpression(lag.watch)) return;
    const [leader, follower] = Object.values(lag.watch.metrics);
    expect(leader).toMatchObject({ metric: CW.openSearchLeaderCheckpoint, stat: "Minimum" });
    expect(follower).toMatchObject({ metric: CW.openSearchFollowerCheckpoint, stat: "Maximum" });
    for (const m of [leader!, follower!]) {
      expect(m.periodSeconds).toBe(LAG_MINUTES * 60);
      expect(m.dimensions).toEqual({
        DomainName: "vega-prod",
        ClientId: "123456789012",
        LeaderAlias: "vega-primary",
      });
    }
    expect(lag.watch.periodSeconds).toBe(LAG_MINUTES * 60);
    expect(lag).toMatchObject({
      comparison: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 1,
      // a follower that reports no checkpoint has stopped replicating
      treatMissingData: "breaching",
      severity: "critical",
    });
    const bound = replicationLagBoundSeconds(LAG_MINUTES * 60, 1);
    expect(bound).toBe(2 * LAG_MINUTES * 60 + OPENSEARCH_METRIC_INTERVAL_SECONDS);
    expect(lag.description).toContain(`under ${Math.round(bound / 60)} min`);
  });

  it("bound the lag by one more period for each further breaching period the alarm waits for", () => {
    const p = 600;
    expect(replicationLagBoundSeconds(p, 3) - replicationLagBoundSeconds(p, 2)).toBe(p);
  });

  it("use the seed CPU and memory thresholds", () => {
    expect(byId(rds(false), "metadata-cpu").threshold).toBe(t.cpuPercent);
    expect(byId(search(false), "search-cpu").threshold).toBe(t.cpuPercent);
    expect(byId(search(false), "search-jvm-pressure").threshold).toBe(t.memoryPercent);
  });
});

describe("alarm specs", () => {
  it("from every builder are valid, whatever the thresholds, and carry them", () => {
    fc.assert(
      fc.property(arbitraryThresholds, fc.boolean(), (th, follower) => {
        const specs = [
          ...alb(th),
          ...rds(follower, th),
          ...search(follower, th),
          ...s3().destinationRegion,
          ...s3().sourceRegion,
        ];
        expect(alarmSpecProblems(specs)).toEqual([]);
        expect(byId(specs, "edge-5xx-rate").threshold).toBe(th.queryErrorRatePercent);
        expect(byId(specs, "search-jvm-pressure").threshold).toBe(th.memoryPercent);
      }),
      { numRuns: 50 },
    );
  });

  it("are refused with every problem named", () => {
    const good = byId(rds(true), "metadata-cpu");
    const problems = alarmSpecProblems([
      good,
      good,
      { ...good, id: "Bad_Id" },
      { ...good, id: "too-eager", datapointsToAlarm: 5, evaluationPeriods: 3 },
      { ...good, id: "no-dimension", watch: { ...single(good), dimensions: {} } },
      { ...good, id: "odd-period", watch: { ...single(good), periodSeconds: 45 } },
      { ...good, id: "no-comparison", comparison: "" as never },
      { ...good, id: "no-missing-data", treatMissingData: "" as never },
      { ...good, id: "no-severity", severity: "" as never },
      { ...good, id: "no-description", description: " " },
      { ...good, id: "long-description", description: "x".repeat(1014) },
      { ...good, id: "no-stat", watch: { ...single(good), stat: "" as never } },
      { ...good, id: "p101", watch: { ...single(good), stat: "p101" } },
      {
        ...good,
        id: "no-namespace",
        watch: { ...single(good), metric: { ...single(good).metric, namespace: "" } },
      },
    ]);
    expect(problems).toEqual([
      "alarm metadata-cpu: id used twice",
      "alarm Bad_Id: id must be lower-case letters, digits and dashes",
      "alarm too-eager: datapointsToAlarm must be from 1 to evaluationPeriods (3)",
      "alarm no-dimension: CPUUtilization needs dimensions DBInstanceIdentifier, got none",
      "alarm odd-period: period must be 10, 20, 30 or a multiple of 60 seconds",
      "alarm no-comparison: comparison must be one of GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold, LessThanOrEqualToThreshold",
      "alarm no-missing-data: treatMissingData must be one of missing, ignore, breaching, notBreaching",
      "alarm no-severity: severity must be one of warning, critical",
      "alarm no-description: description must say what breached, in 1 to 1013 characters",
      "alarm long-description: description must say what breached, in 1 to 1013 characters",
      "alarm no-stat: stat must be Average, Sum, Minimum, Maximum, SampleCount or a percentile p0-p100",
      "alarm p101: stat must be Average, Sum, Minimum, Maximum, SampleCount or a percentile p0-p100",
      'alarm no-namespace: namespace "" is not AWS/<service>',
    ]);
    // At the limit, a description still fits AlarmDescription's 1024 characters.
    expect(alarmSpecProblems([{ ...good, description: "x".repeat(1013) }])).toEqual([]);
    const expression = byId(search(true), "search-replication-lag");
    const watch = expression.watch as any;
    const firstMetric = Object.values(watch.metrics)[0];
    expect(
      alarmSpecProblems([
        { ...expression, id: "no-label", watch: { ...watch, label: "" } },
        { ...expression, id: "odd-expression-period", watch: { ...watch, periodSeconds: 45 } },
        {
          ...expression,
          id: "bad-metric-id",
          watch: { ...watch, metrics: { Leader: firstMetric } },
        },
        { ...good, id: "no-periods", evaluationPeriods: 0, datapointsToAlarm: 0 },
        { ...good, id: "no-threshold", threshold: Number.NaN },
        { ...expression, id: "no-expression", watch: { ...watch, expression: "" } },
      ]),
    ).toEqual([
      "alarm no-label: an expression needs a label (the series' name in the notification graph)",
      "alarm odd-expression-period: period must be 10, 20, 30 or a multiple of 60 seconds",
      "alarm bad-metric-id metric Leader: metric ids start with a lower-case letter (letters, digits, _)",
      "alarm bad-metric-id metric Leader: the expression does not use it",
      "alarm no-periods: evaluationPeriods must be a whole number >= 1",
      "alarm no-periods: datapointsToAlarm must be from 1 to evaluationPeriods (0)",
      "alarm no-threshold: threshold must be a finite number",
      ...Object.keys(watch.metrics).map(
        (id) => `alarm no-expression metric ${id}: the expression does not use it`,
      ),
    ]);
  });

  it("take CloudWatch's periods only: 10, 20, 30 s or whole minutes", () => {
    const good = byId(rds(true), "metadata-cpu");
    const withPeriod = (periodSeconds: number) => ({
      ...good,
      watch: { ...single(good), periodSeconds },
    });
    for (const p of [10, 20, 30, 60, 300, 3600])
      expect(alarmSpecProblems([withPeriod(p)]), `${p}`).toEqual([]);
    for (const p of [0, -60, 45, 90, 60.5])
      expect(alarmSpecProblems([withPeriod(p)]), `${p}`).toEqual([
        "alarm metadata-cpu: period must be 10, 20, 30 or a multiple of 60 seconds",
      ]);
  });

  it("refuse ids and counts that are nearly right, all through", () => {
    const good = byId(rds(true), "metadata-cpu");
    const expression = byId(search(true), "search-replication-lag");
    const watch = expression.watch as any;
    const [firstId, firstMetric] = Object.entries(watch.metrics)[0]!;
    const renamed = (id: string) => ({
      ...expression,
      watch: {
        ...watch,
        expression: watch.expression.replace(new RegExp(`\\b${firstId}\\b`, "g"), id),
        metrics: { ...watch.metrics, [firstId]: undefined, [id]: firstMetric },
      },
    });
    const cleaned = (spec: ReturnType<typeof renamed>) => {
      const metrics = Object.fromEntries(Object.entries(spec.watch.metrics).filter(([, m]) => m));
      return { ...spec, watch: { ...spec.watch, metrics } } as AlarmSpec;
    };
    expect(alarmSpecProblems([cleaned(renamed("leaderFirst"))])).toEqual([]);
    for (const id of ["9leader", "leader-x"])
      expect(alarmSpecProblems([cleaned(renamed(id))])).toContain(
        `alarm search-replication-lag metric ${id}: metric ids start with a lower-case letter (letters, digits, _)`,
      );
    expect(alarmSpecProblems([{ ...good, id: "metadata_cpu" }])).toEqual([
      "alarm metadata_cpu: id must be lower-case letters, digits and dashes",
    ]);
    expect(alarmSpecProblems([{ ...good, evaluationPeriods: 1.5, datapointsToAlarm: 1 }])).toEqual([
      "alarm metadata-cpu: evaluationPeriods must be a whole number >= 1",
    ]);
    expect(alarmSpecProblems([{ ...good, evaluationPeriods: 3, datapointsToAlarm: 1.5 }])).toEqual([
      "alarm metadata-cpu: datapointsToAlarm must be from 1 to evaluationPeriods (3)",
    ]);
  });

  it("name the dimensions a metric needs and those it was given", () => {
    const good = byId(search(false), "search-cpu");
    const dims = single(good).dimensions;
    const [first] = Object.keys(dims);
    const wanted = Object.keys(dims).sort().join(", ");
    expect(
      alarmSpecProblems([
        { ...good, watch: { ...single(good), dimensions: { [first!]: "x", Other: "y" } } },
      ]),
    ).toEqual([
      `alarm search-cpu: ${single(good).metric.metricName} needs dimensions ${wanted}, got ${[first!, "Other"].sort().join(", ")}`,
    ]);
    expect(wanted).toContain(", ");
  });
});
