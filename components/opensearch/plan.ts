/**
 * The search area's part of the offline plan: each domain's settings, the cross-cluster links and
 * the REST objects (auto-follow rules, stopped replication, snapshot repositories, SM policies) as
 * a reviewer needs them, and those REST objects as a file. It also reports the size and hash of
 * the serialised dynamic provider, so a change to what Pulumi ships to the provider host shows.
 */
import { createHash } from "node:crypto";
import {
  REDACTED,
  type PlanArtifact,
  type PlanContext,
  type PlanExtension,
  type RecordedResource,
  type ResourceProps,
} from "../core/plan";
import { SEED_BACKUP_OBJECTIVES, SEED_RECOVERY_PROCEDURES } from "../../config/objectives";
import { cronMaxGapSeconds } from "../core/cron";
import { formatSeconds, type ObjectiveInput } from "../core/objectives";
import {
  REPLICATION_LAG_EXPRESSION,
  REPLICATION_LAG_QUERY,
  replicationLagBoundSeconds,
} from "../observability/alarms/builders";
import { CLOUDWATCH_METRICS as CW } from "../observability/cloudwatch-metrics";
import { OPENSEARCH_REST_TYPE } from "./rest";

const DOMAIN = "aws:opensearch/domain:Domain";
const CONNECTION = "aws:opensearch/outboundConnection:OutboundConnection";
const ACCEPTER = "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter";

const restObjects = (resources: RecordedResource[]) =>
  resources
    .filter((r) => r.type === OPENSEARCH_REST_TYPE)
    .map((r) => ({
      name: r.name,
      kind: r.inputs.kind,
      region: r.inputs.region,
      endpoint: r.inputs.endpoint,
      spec: r.inputs.spec,
    }));

function artifacts(ctx: PlanContext): PlanArtifact[] {
  const objects = restObjects(ctx.resources);
  return objects.length === 0
    ? []
    : [{ path: "opensearch/rest-objects.json", content: `${JSON.stringify(objects, null, 2)}\n` }];
}

/** A recorded value as the plan shows it: `?` where the record does not have it. */
const known = (value: string | number | undefined) => value ?? "?";

function describeDomain(d: RecordedResource): string[] {
  const i = d.inputs as ResourceProps;
  const c = i.clusterConfig ?? {};
  const e = i.ebsOptions ?? {};
  return [
    `**${i.domainName}** (${d.region}), ${i.engineVersion}${d.protect ? ", protected" : ""}`,
    "",
    "| setting | value |",
    "|---|---|",
    `| data nodes | ${known(c.instanceCount)} × \`${known(c.instanceType)}\` over ${c.zoneAwarenessConfig?.availabilityZoneCount ?? 1} zones |`,
    `| dedicated masters | ${c.dedicatedMasterEnabled ? `${c.dedicatedMasterCount} × \`${c.dedicatedMasterType}\`` : "none"} |`,
    `| storage | ${known(e.volumeType)} ${known(e.volumeSize)} GiB, ${known(e.iops)} IOPS, ${known(e.throughput)} MiB/s per node |`,
    `| encryption | at rest: ${i.encryptAtRest?.enabled ? "KMS" : "off"}; node to node: ${i.nodeToNodeEncryption?.enabled ? "on" : "off"} |`,
    `| endpoint | ${i.domainEndpointOptions?.enforceHttps ? "HTTPS only" : "HTTP allowed"}, \`${known(i.domainEndpointOptions?.tlsSecurityPolicy)}\`; VPC, ${(i.vpcOptions?.subnetIds ?? []).length} subnets |`,
    `| access control | fine-grained: ${i.advancedSecurityOptions?.enabled ? "on" : "off"} (master password ${i.advancedSecurityOptions?.masterUserOptions?.masterUserPassword === REDACTED ? "secret" : "NOT secret"}) |`,
    `| logs | ${(i.logPublishingOptions ?? []).map((l: ResourceProps) => l.logType).join(", ")} |`,
    "",
  ];
}

function sections(ctx: PlanContext) {
  const domains = ctx.resources.filter((r) => r.type === DOMAIN);
  if (domains.length === 0) return [];
  const lines = domains.flatMap(describeDomain);
  for (const c of ctx.resources.filter((r) => r.type === CONNECTION)) {
    const i = c.inputs as ResourceProps;
    const accepter = ctx.resources.find((a) => a.type === ACCEPTER && a.parent === c.parent);
    lines.push(
      `Cross-cluster replication: \`${known(i.localDomainInfo?.domainName)}\` (${known(i.localDomainInfo?.region)}, follower) → \`${known(i.remoteDomainInfo?.domainName)}\` (${known(i.remoteDomainInfo?.region)}, leader), alias \`${known(i.connectionAlias)}\`, ${known(i.connectionMode)}; accepted in ${known(accepter?.region)}${accepter?.retainOnDelete ? " (retained on delete)" : ""}.`,
      "",
    );
  }
  const objects = restObjects(ctx.resources);
  if (objects.length > 0) {
    lines.push("| REST object | kind | what |", "|---|---|---|");
    for (const o of objects) {
      const s = o.spec as ResourceProps;
      const what =
        o.kind === "autoFollowRule"
          ? `rule \`${s.name}\` follows \`${s.pattern}\` from \`${s.leaderAlias}\``
          : o.kind === "replicationStopped"
            ? `replication STOPPED: rules ${s.ruleNames.join(", ")} deleted, follower indices stopped`
            : o.kind === "snapshotRepository"
              ? `s3://${s.bucket}/${s.basePath} (${s.region})`
              : `\`${known(s.body?.creation?.schedule?.cron?.expression)}\` UTC into \`${known(s.body?.snapshot_config?.repository)}\`, deleted after ${known(s.body?.deletion?.condition?.max_age)}`;
      lines.push(`| ${o.name} | ${o.kind} | ${what} |`);
    }
    const provider = ctx.resources.find((r) => r.type === OPENSEARCH_REST_TYPE)!.inputs.__provider;
    if (typeof provider === "string")
      lines.push(
        "",
        `Serialised REST provider: ${provider.length} bytes, sha256 \`${createHash("sha256").update(provider).digest("hex").slice(0, 12)}\`.`,
      );
  }
  return [{ title: "Search (seed 16.1, 16.2, 17.1)", markdown: lines.join("\n") }];
}

/** Which seed 16.2 row a snapshot policy answers, by the vault prefix its repository writes to. */
const SNAPSHOT_TARGETS: Record<
  string,
  (typeof SEED_BACKUP_OBJECTIVES)[keyof typeof SEED_BACKUP_OBJECTIVES]
> = {
  "opensearch/snapshots": SEED_BACKUP_OBJECTIVES.openSearchSnapshot,
  "opensearch/delta": SEED_BACKUP_OBJECTIVES.openSearchDelta,
};

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

interface RecordedMetricQuery {
  id?: string;
  expression?: string;
  period?: number;
  metric?: {
    metricName?: string;
    stat?: string;
    period?: number;
    dimensions?: Record<string, string>;
  };
}

/**
 * The replication-lag alarm of a connection (its alias) on one of the stack's domains
 * (alarms/builders.ts replicationLagAlarm), as recorded, and the lag it lets pass unnoticed; undefined when there is none of that shape.
 * Read strictly: only "leader checkpoint at the period's start minus follower checkpoint at its
 * end, above 0, missing data breaching" bounds the lag in time.
 */
export function replicationLagAlarmBound(
  resources: RecordedResource[],
  follower: { domainNames: readonly unknown[]; leaderAlias?: string },
): { alarm: string; periodSeconds: number; datapoints: number; boundSeconds: number } | undefined {
  for (const alarm of resources.filter((r) => r.type === ALARM)) {
    const i = alarm.inputs as ResourceProps;
    const queries = (i.metricQueries ?? []) as RecordedMetricQuery[];
    const byId = (id: string) => queries.find((q) => q.id === id)?.metric;
    const leader = byId(REPLICATION_LAG_QUERY.leader);
    const followerMetric = byId(REPLICATION_LAG_QUERY.follower);
    const result = queries.find((q) => q.expression !== undefined);
    if (!leader || !followerMetric || !result) continue;
    const leaderDomain = leader.dimensions?.DomainName;
    const watches = (m: NonNullable<typeof leader>, name: string, stat: string) =>
      m.metricName === name &&
      m.stat === stat &&
      follower.domainNames.includes(m.dimensions?.DomainName) &&
      m.dimensions?.DomainName === leaderDomain &&
      m.dimensions?.LeaderAlias === follower.leaderAlias;
    if (
      !watches(leader, CW.openSearchLeaderCheckpoint.metricName, "Minimum") ||
      !watches(followerMetric, CW.openSearchFollowerCheckpoint.metricName, "Maximum") ||
      result.expression !== REPLICATION_LAG_EXPRESSION
    )
      continue;
    const period = result.period;
    if (
      typeof period !== "number" ||
      leader.period !== period ||
      followerMetric.period !== period ||
      i.comparisonOperator !== "GreaterThanThreshold" ||
      i.threshold !== 0 ||
      i.treatMissingData !== "breaching"
    )
      continue;
    const datapoints =
      typeof i.datapointsToAlarm === "number" ? i.datapointsToAlarm : i.evaluationPeriods;
    if (typeof datapoints !== "number") continue;
    return {
      alarm: String(i.name ?? alarm.name),
      periodSeconds: period,
      datapoints,
      boundSeconds: replicationLagBoundSeconds(period, datapoints),
    };
  }
  return undefined;
}

/**
 * The search area's rows: each snapshot policy (RPO: the longest gap of its cron, read from the
 * recorded policy; the restore time is a drill's figure, not the plan's) and, in the DR stack,
 * cross-cluster replication. CCR pulls continuously but states no lag bound; its replication-lag
 * alarm gives one ((M + 1) × period + 60 s, alarms/builders.ts). Without that alarm it is best
 * effort, like S3 replication without RTC.
 */
export function openSearchObjectives(ctx: PlanContext): ObjectiveInput[] {
  const rows: ObjectiveInput[] = [];
  const rest = ctx.resources.filter((r) => r.type === OPENSEARCH_REST_TYPE);
  const repositories = rest.filter((r) => r.inputs.kind === "snapshotRepository");
  for (const policy of rest.filter((r) => r.inputs.kind === "smPolicy")) {
    const body = (policy.inputs.spec as ResourceProps).body;
    const repoName = body?.snapshot_config?.repository;
    const repo = repositories.find((r) => (r.inputs.spec as ResourceProps).name === repoName);
    const basePath = (repo?.inputs.spec as ResourceProps | undefined)?.basePath;
    // the repository writes under the vault prefix (a per-region folder below it)
    const target = Object.entries(SNAPSHOT_TARGETS).find(([prefix]) =>
      `${basePath}/`.startsWith(`${prefix}/`),
    )?.[1];
    const cron = body?.creation?.schedule?.cron?.expression;
    if (!target || typeof cron !== "string") continue;
    rows.push({
      area: "opensearch",
      mechanism: `OpenSearch snapshots \`${repoName}\` → ${basePath}/ (${policy.region})`,
      rpo: cronMaxGapSeconds(cron),
      basis: `snapshot cron \`${cron}\` UTC: the longest gap between two snapshots (the restore time, RTO, is a drill's figure)`,
      target,
    });
  }
  for (const c of ctx.resources.filter((r) => r.type === CONNECTION)) {
    const i = c.inputs as ResourceProps;
    const rules = rest.filter((r) => r.inputs.kind === "autoFollowRule" && r.parent === c.parent);
    // the stack's own domains (which domain the connection starts from is the
    // vega-opensearch-ccr-owned-by-dr rule's concern)
    const lag = replicationLagAlarmBound(ctx.resources, {
      domainNames: ctx.resources.filter((r) => r.type === DOMAIN).map((d) => d.inputs.domainName),
      leaderAlias: i.connectionAlias,
    });
    rows.push({
      area: "opensearch",
      mechanism: `OpenSearch cross-cluster replication ${known(i.remoteDomainInfo?.region)} → ${known(i.localDomainInfo?.region)}`,
      rpo: lag?.boundSeconds ?? "unbounded",
      basis: lag
        ? `${rules.length} auto-follow rule(s); alarm \`${lag.alarm}\` fires when the follower lacks writes the leader held ${formatSeconds(lag.periodSeconds)} before (LeaderCheckPoint at the period's start − FollowerCheckPoint at its end > 0, no data = breaching): lag unnoticed ≤ (${lag.datapoints} + 1) × ${formatSeconds(lag.periodSeconds)} + 60 s`
        : `${rules.length} auto-follow rule(s); CCR states no lag bound and no replication-lag alarm bounds it: best effort`,
      target: SEED_RECOVERY_PROCEDURES.regionFailover,
      crossRegion: true,
    });
  }
  return rows;
}

export const openSearchPlanExtension: PlanExtension = {
  name: "opensearch",
  artifacts,
  sections,
  objectives: openSearchObjectives,
};
