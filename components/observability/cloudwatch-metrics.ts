/**
 * The CloudWatch metrics the alarms and the dashboards read, named once so both spell them the
 * same. `publishedIn` says which region's CloudWatch holds the metric: an alarm only sees
 * metrics of its own region.
 */

export interface CloudWatchMetric {
  namespace: string;
  metricName: string;
  /** The dimensions the metric is published with (the alarm must give all of them). */
  dimensions: readonly string[];
  /** Where the metric lives, when that is not simply the resource's own region. */
  publishedIn?: string;
}

const metric = (
  namespace: string,
  metricName: string,
  dimensions: readonly string[],
  publishedIn?: string,
): CloudWatchMetric => ({
  namespace,
  metricName,
  dimensions,
  ...(publishedIn ? { publishedIn } : {}),
});

const ALB = "AWS/ApplicationELB";
const ALB_TG = ["LoadBalancer", "TargetGroup"] as const;
const S3_RULE = ["SourceBucket", "DestinationBucket", "RuleId"] as const;
const RDS_INSTANCE = ["DBInstanceIdentifier"] as const;
const DOMAIN = ["DomainName", "ClientId"] as const;
/**
 * Cross-cluster replication checkpoints are published per connection on the follower domain:
 * (ClientId, DomainName, LeaderAlias) or (ClientId, ConnectionId, DomainName) (CloudWatch User
 * Guide, "Supported metrics for resource tags for telemetry", AWS/ES). The alias is config.
 */
const DOMAIN_CONNECTION = ["DomainName", "ClientId", "LeaderAlias"] as const;

export const CLOUDWATCH_METRICS = {
  albRequests: metric(ALB, "RequestCount", ["LoadBalancer"]),
  albElb5xx: metric(ALB, "HTTPCode_ELB_5XX_Count", ["LoadBalancer"]),
  albTarget5xx: metric(ALB, "HTTPCode_Target_5XX_Count", ["LoadBalancer"]),
  albTargetResponseTime: metric(ALB, "TargetResponseTime", ["LoadBalancer"]),
  albHealthyHosts: metric(ALB, "HealthyHostCount", ALB_TG),
  albUnhealthyHosts: metric(ALB, "UnHealthyHostCount", ALB_TG),

  // S3 publishes the pending/latency figures in the destination region, failures in the source's.
  s3ReplicationLatency: metric(
    "AWS/S3",
    "ReplicationLatency",
    S3_RULE,
    "the destination bucket's region",
  ),
  s3BytesPendingReplication: metric(
    "AWS/S3",
    "BytesPendingReplication",
    S3_RULE,
    "the destination bucket's region",
  ),
  s3OperationsPendingReplication: metric(
    "AWS/S3",
    "OperationsPendingReplication",
    S3_RULE,
    "the destination bucket's region",
  ),
  s3OperationsFailedReplication: metric(
    "AWS/S3",
    "OperationsFailedReplication",
    S3_RULE,
    "the source bucket's region",
  ),

  rdsCpu: metric("AWS/RDS", "CPUUtilization", RDS_INSTANCE),
  rdsFreeStorage: metric("AWS/RDS", "FreeStorageSpace", RDS_INSTANCE),
  rdsReplicaLag: metric("AWS/RDS", "ReplicaLag", RDS_INSTANCE),
  rdsConnections: metric("AWS/RDS", "DatabaseConnections", RDS_INSTANCE),

  openSearchRed: metric("AWS/ES", "ClusterStatus.red", DOMAIN),
  openSearchYellow: metric("AWS/ES", "ClusterStatus.yellow", DOMAIN),
  openSearchGreen: metric("AWS/ES", "ClusterStatus.green", DOMAIN),
  /** Megabytes, per node (the minimum over nodes is the one that fills first). */
  openSearchFreeStorage: metric("AWS/ES", "FreeStorageSpace", DOMAIN),
  openSearchJvmPressure: metric("AWS/ES", "JVMMemoryPressure", DOMAIN),
  openSearchCpu: metric("AWS/ES", "CPUUtilization", DOMAIN),
  openSearchSnapshotFailure: metric("AWS/ES", "AutomatedSnapshotFailure", DOMAIN),
  openSearchFailedFollowerIndices: metric("AWS/ES", "ReplicationNumFailedIndices", DOMAIN),
  /**
   * "For a specific connection, the sum of leader (follower) checkpoint values across all
   * replicating indexes. You can use this metric to measure replication latency." (OpenSearch
   * Service developer guide, "Monitoring OpenSearch cluster metrics with Amazon CloudWatch",
   * cross-cluster replication metrics). Sequence numbers, not time: equal means in sync.
   */
  openSearchLeaderCheckpoint: metric("AWS/ES", "LeaderCheckPoint", DOMAIN_CONNECTION),
  openSearchFollowerCheckpoint: metric("AWS/ES", "FollowerCheckPoint", DOMAIN_CONNECTION),

  /** Route 53 publishes health-check metrics in us-east-1 only. */
  route53HealthCheckStatus: metric(
    "AWS/Route53",
    "HealthCheckStatus",
    ["HealthCheckId"],
    "us-east-1",
  ),
} as const satisfies Record<string, CloudWatchMetric>;
