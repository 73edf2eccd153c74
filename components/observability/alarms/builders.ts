/**
 * Alarm builders for the AWS-managed parts, pure functions over what to watch and the shared
 * thresholds (the same config values as the Prometheus rules). Each returns AlarmSpecs whose
 * ids start with `name`, so several instances can share one CloudWatchAlarms.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { AlertThresholds } from "../../../config";
import { CLOUDWATCH_METRICS as CW, type CloudWatchMetric } from "../cloudwatch-metrics";
import { RATE_WINDOW_MINUTES } from "../promql";
import type { AlarmSpec, AlarmStatistic, WatchedMetric } from "./spec";

const watch = (
  metric: CloudWatchMetric,
  dimensions: Record<string, pulumi.Input<string>>,
  stat: AlarmStatistic,
  periodSeconds = 60,
): WatchedMetric => ({ metric, dimensions, stat, periodSeconds });

const GIB = 1024 ** 3;
const freeFraction = (t: Pick<AlertThresholds, "diskPercent">) => 1 - t.diskPercent / 100;

export interface AlbAlarmArgs {
  /** Prefix of the alarm ids, e.g. "edge". */
  name: string;
  /** The load balancer's ARN suffix (`app/<name>/<id>`, aws.lb.LoadBalancer.arnSuffix). */
  loadBalancer: pulumi.Input<string>;
  /** The gateway target group's ARN suffix (`targetgroup/<name>/<id>`). */
  targetGroup: pulumi.Input<string>;
  thresholds: Pick<
    AlertThresholds,
    "queryErrorRatePercent" | "queryLatencyP99Seconds" | "lowTrafficMinEvents"
  >;
}

/** ALB: 5xx share of requests, p99 target response time, unhealthy and missing healthy targets. */
export function albAlarms(a: AlbAlarmArgs): AlarmSpec[] {
  const lb = { LoadBalancer: a.loadBalancer };
  const tg = { LoadBalancer: a.loadBalancer, TargetGroup: a.targetGroup };
  // The rules' low-traffic guard, per minute: below it one failed request is not a rate.
  const minRequestsPerMinute = Math.ceil(a.thresholds.lowTrafficMinEvents / RATE_WINDOW_MINUTES);
  return [
    {
      id: `${a.name}-5xx-rate`,
      severity: "critical",
      description: `More than ${a.thresholds.queryErrorRatePercent}% of requests through the load balancer end in a 5xx (seed 15.1 error_rate), for 5 minutes.`,
      watch: {
        expression: `IF(requests >= ${minRequestsPerMinute}, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)`,
        label: "5xx, % of requests",
        periodSeconds: 60,
        metrics: {
          requests: watch(CW.albRequests, lb, "Sum"),
          elb5xx: watch(CW.albElb5xx, lb, "Sum"),
          target5xx: watch(CW.albTarget5xx, lb, "Sum"),
        },
      },
      comparison: "GreaterThanThreshold",
      threshold: a.thresholds.queryErrorRatePercent,
      evaluationPeriods: 5,
      treatMissingData: "notBreaching",
    },
    {
      id: `${a.name}-p99-latency`,
      severity: "warning",
      description: `p99 target response time above ${a.thresholds.queryLatencyP99Seconds}s (seed 15.1 query p99), for 10 minutes.`,
      watch: watch(CW.albTargetResponseTime, lb, "p99"),
      comparison: "GreaterThanThreshold",
      threshold: a.thresholds.queryLatencyP99Seconds,
      evaluationPeriods: 10,
      treatMissingData: "notBreaching",
    },
    {
      id: `${a.name}-unhealthy-targets`,
      severity: "warning",
      description:
        "Gateway targets fail the /health check (seed 17.2): the load balancer has taken them out.",
      watch: watch(CW.albUnhealthyHosts, tg, "Maximum"),
      comparison: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 5,
      treatMissingData: "notBreaching",
    },
    {
      id: `${a.name}-no-healthy-targets`,
      severity: "critical",
      description: "No healthy gateway target: the region serves no traffic.",
      watch: watch(CW.albHealthyHosts, tg, "Minimum"),
      comparison: "LessThanThreshold",
      threshold: 1,
      evaluationPeriods: 2,
      // The ALB reports healthy hosts every minute; silence means it is gone too.
      treatMissingData: "breaching",
    },
  ];
}

export interface S3ReplicationAlarmArgs {
  name: string;
  sourceBucket: pulumi.Input<string>;
  destinationBucket: pulumi.Input<string>;
  /** The replication rule's id (metrics are per rule). */
  ruleId: string;
  /** S3 Replication Time Control's threshold, minutes (15). */
  replicationTimeMinutes: number;
}

/**
 * S3 replication, split by where S3 publishes each metric: latency in the destination's
 * region, failures in the source's. Each list goes to a CloudWatchAlarms in that region.
 */
export function s3ReplicationAlarms(a: S3ReplicationAlarmArgs): {
  destinationRegion: AlarmSpec[];
  sourceRegion: AlarmSpec[];
} {
  const rule = {
    SourceBucket: a.sourceBucket,
    DestinationBucket: a.destinationBucket,
    RuleId: a.ruleId,
  };
  return {
    destinationRegion: [
      {
        id: `${a.name}-latency`,
        severity: "warning",
        description: `Backups reach the DR bucket more than ${a.replicationTimeMinutes} minutes late (the Replication Time Control threshold): the DR copy is behind.`,
        watch: watch(CW.s3ReplicationLatency, rule, "Maximum", 300),
        comparison: "GreaterThanThreshold",
        threshold: a.replicationTimeMinutes * 60,
        evaluationPeriods: 2,
        treatMissingData: "notBreaching",
      },
    ],
    sourceRegion: [
      {
        id: `${a.name}-failures`,
        severity: "critical",
        description:
          "Backup objects failed to replicate to the DR bucket: the DR copy is incomplete (see the s3:Replication:OperationFailedReplication events).",
        watch: watch(CW.s3OperationsFailedReplication, rule, "Sum", 300),
        comparison: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
      },
    ],
  };
}

export interface RdsAlarmArgs {
  name: string;
  instanceId: pulumi.Input<string>;
  /** Allocated storage, GiB: the free-space threshold is (100 − diskPercent) % of it. */
  allocatedStorageGiB: number;
  /**
   * The instance's max_connections (config postgresMaxConnections: the parameter group's, else
   * RDS's default for the class): the connections threshold is dbConnectionsPercent of it.
   */
  maxConnections: number;
  /** A read replica (in-region or cross-region): also alarm on its lag. */
  replica: boolean;
  thresholds: Pick<
    AlertThresholds,
    "cpuPercent" | "diskPercent" | "dbReplicaLagSeconds" | "dbConnectionsPercent"
  >;
}

/** RDS for PostgreSQL: CPU, free storage, connections, and replica lag for replicas. */
export function rdsAlarms(a: RdsAlarmArgs): AlarmSpec[] {
  const instance = { DBInstanceIdentifier: a.instanceId };
  const specs: AlarmSpec[] = [
    {
      id: `${a.name}-cpu`,
      severity: "warning",
      description: `Database CPU above ${a.thresholds.cpuPercent}% (seed 15.1 cpu) for 15 minutes.`,
      watch: watch(CW.rdsCpu, instance, "Average"),
      comparison: "GreaterThanThreshold",
      threshold: a.thresholds.cpuPercent,
      evaluationPeriods: 15,
      treatMissingData: "missing",
    },
    {
      id: `${a.name}-free-storage`,
      severity: "warning",
      description: `Database storage more than ${a.thresholds.diskPercent}% used (seed 15.1 disk).`,
      watch: watch(CW.rdsFreeStorage, instance, "Minimum", 300),
      comparison: "LessThanThreshold",
      threshold: Math.round(a.allocatedStorageGiB * GIB * freeFraction(a.thresholds)),
      evaluationPeriods: 2,
      treatMissingData: "missing",
    },
    {
      id: `${a.name}-connections`,
      severity: "warning",
      description: `Database connections above ${a.thresholds.dbConnectionsPercent}% of max_connections (${a.maxConnections}) for 5 minutes: new connections will soon be refused.`,
      watch: watch(CW.rdsConnections, instance, "Maximum"),
      comparison: "GreaterThanThreshold",
      threshold: Math.floor((a.maxConnections * a.thresholds.dbConnectionsPercent) / 100),
      evaluationPeriods: 5,
      treatMissingData: "missing",
    },
  ];
  if (a.replica) {
    specs.push({
      id: `${a.name}-replica-lag`,
      severity: "critical",
      description: `Replica more than ${a.thresholds.dbReplicaLagSeconds}s behind its source (seed 16.2 WAL RPO): a failover now loses that much.`,
      watch: watch(CW.rdsReplicaLag, instance, "Maximum"),
      comparison: "GreaterThanThreshold",
      threshold: a.thresholds.dbReplicaLagSeconds,
      evaluationPeriods: 5,
      // A replica that stops reporting lag has stopped replicating.
      treatMissingData: "breaching",
    });
  }
  return specs;
}

/** What a follower domain's replication alarms need: the connection and the lag check's period. */
export interface FollowerAlarmArgs {
  /** The connection alias on the follower (the checkpoints' LeaderAlias dimension). */
  leaderAlias: pulumi.Input<string>;
  /** Period of the replication-lag check, minutes (config opensearch.replication.lagAlarmPeriodMinutes). */
  lagPeriodMinutes: number;
}

export interface OpenSearchAlarmArgs {
  name: string;
  domainName: pulumi.Input<string>;
  /** The account id (OpenSearch's ClientId dimension). */
  accountId: pulumi.Input<string>;
  /** EBS volume size per data node, GiB: FreeStorageSpace is per node, in megabytes. */
  volumeSizeGiB: number;
  /** The DR domain following the primary over cross-cluster replication, or false. */
  follower: false | FollowerAlarmArgs;
  thresholds: Pick<AlertThresholds, "cpuPercent" | "memoryPercent" | "diskPercent">;
}

/**
 * OpenSearch Service sends most metrics to CloudWatch in 60-second intervals (developer guide,
 * "Monitoring OpenSearch cluster metrics with Amazon CloudWatch").
 */
export const OPENSEARCH_METRIC_INTERVAL_SECONDS = 60;

/** Metric ids of the replication-lag alarm's expression (read back by the objectives table). */
export const REPLICATION_LAG_QUERY = {
  leader: "leaderAtStart",
  follower: "followerAtEnd",
} as const;
export const REPLICATION_LAG_EXPRESSION = `${REPLICATION_LAG_QUERY.leader} - ${REPLICATION_LAG_QUERY.follower}`;

/**
 * The most replication lag (seconds of leader writes the follower lacks) that the lag alarm lets
 * pass unnoticed, for a period P and M breaching periods to alarm: the follower may fall more
 * than P behind for M periods before the alarm fires, plus the period under way and one
 * publishing interval, (M + 1) × P + 60 s. See replicationLagAlarm for why one period bounds P.
 */
export function replicationLagBoundSeconds(periodSeconds: number, datapointsToAlarm: number) {
  return (datapointsToAlarm + 1) * periodSeconds + OPENSEARCH_METRIC_INTERVAL_SECONDS;
}

/**
 * Cross-cluster replication lag as time, from checkpoints (sequence numbers, not seconds). Per
 * period P: the leader's checkpoint sum at the period's start (Minimum: checkpoints only grow)
 * against the follower's at its end (Maximum). follower(end) ≥ leader(start) means every write
 * the leader held P ago has reached the follower: the lag is at most P. Below that the alarm
 * fires. An idle leader never breaches (nothing to copy); a stopped follower breaches at the
 * leader's first write. Missing data is breaching: a follower that reports no checkpoint has
 * stopped replicating (a DR domain that follows no index yet alarms too, until auto-follow
 * creates the first follower index). Caveat: deleting a replicated index lowers both sums and may
 * hide one period of lag.
 */
function replicationLagAlarm(
  name: string,
  domain: { DomainName: pulumi.Input<string>; ClientId: pulumi.Input<string> },
  follower: FollowerAlarmArgs,
): AlarmSpec {
  const period = follower.lagPeriodMinutes * 60;
  const connection = { ...domain, LeaderAlias: follower.leaderAlias };
  const bound = replicationLagBoundSeconds(period, 1);
  return {
    id: `${name}-replication-lag`,
    severity: "critical",
    description: `The DR domain lacks writes the primary's domain held ${follower.lagPeriodMinutes} minutes ago (cross-cluster replication lag above ${follower.lagPeriodMinutes} min; while this alarm is OK the lag stays under ${Math.round(bound / 60)} min, seed 16.3 region_failover RPO): a failover now loses that much search data.`,
    watch: {
      expression: REPLICATION_LAG_EXPRESSION,
      label: "leader checkpoint at start − follower checkpoint at end (operations)",
      periodSeconds: period,
      metrics: {
        [REPLICATION_LAG_QUERY.leader]: watch(
          CW.openSearchLeaderCheckpoint,
          connection,
          "Minimum",
          period,
        ),
        [REPLICATION_LAG_QUERY.follower]: watch(
          CW.openSearchFollowerCheckpoint,
          connection,
          "Maximum",
          period,
        ),
      },
    },
    comparison: "GreaterThanThreshold",
    threshold: 0,
    evaluationPeriods: 1,
    treatMissingData: "breaching",
  };
}

/** OpenSearch Service: cluster status, storage, JVM pressure, CPU, snapshots, and CCR on followers. */
export function openSearchAlarms(a: OpenSearchAlarmArgs): AlarmSpec[] {
  const domain = { DomainName: a.domainName, ClientId: a.accountId };
  const specs: AlarmSpec[] = [
    {
      id: `${a.name}-red`,
      severity: "critical",
      description:
        "At least one primary shard is unassigned: some indexes cannot be searched or written.",
      watch: watch(CW.openSearchRed, domain, "Maximum"),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: "missing",
    },
    {
      id: `${a.name}-yellow`,
      severity: "warning",
      description: "Replica shards unassigned for 5 minutes: one more node loss may lose data.",
      watch: watch(CW.openSearchYellow, domain, "Maximum"),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 5,
      treatMissingData: "missing",
    },
    {
      id: `${a.name}-free-storage`,
      severity: "warning",
      description: `A data node's disk is more than ${a.thresholds.diskPercent}% used (seed 15.1 disk).`,
      watch: watch(CW.openSearchFreeStorage, domain, "Minimum"),
      comparison: "LessThanThreshold",
      threshold: Math.round(a.volumeSizeGiB * 1024 * freeFraction(a.thresholds)),
      evaluationPeriods: 5,
      treatMissingData: "missing",
    },
    {
      id: `${a.name}-jvm-pressure`,
      severity: "warning",
      description: `JVM memory pressure above ${a.thresholds.memoryPercent}% (seed 15.1 mem) for 15 minutes: garbage collection is about to stall the nodes.`,
      watch: watch(CW.openSearchJvmPressure, domain, "Maximum", 300),
      comparison: "GreaterThanThreshold",
      threshold: a.thresholds.memoryPercent,
      evaluationPeriods: 3,
      treatMissingData: "missing",
    },
    {
      id: `${a.name}-cpu`,
      severity: "warning",
      description: `Domain CPU above ${a.thresholds.cpuPercent}% (seed 15.1 cpu) for 15 minutes.`,
      watch: watch(CW.openSearchCpu, domain, "Average", 300),
      comparison: "GreaterThanThreshold",
      threshold: a.thresholds.cpuPercent,
      evaluationPeriods: 3,
      treatMissingData: "missing",
    },
    {
      id: `${a.name}-snapshot-failure`,
      severity: "warning",
      description: "An automated snapshot failed (seed 16.2 OpenSearch snapshots).",
      watch: watch(CW.openSearchSnapshotFailure, domain, "Maximum"),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
    },
  ];
  if (a.follower) {
    specs.push({
      id: `${a.name}-replication-failed`,
      severity: "critical",
      description:
        "Follower indexes stopped replicating from the primary domain (cross-cluster replication FAILED): the DR index is frozen.",
      watch: watch(CW.openSearchFailedFollowerIndices, domain, "Maximum"),
      comparison: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 5,
      treatMissingData: "missing",
    });
    specs.push(replicationLagAlarm(a.name, domain, a.follower));
  }
  return specs;
}
