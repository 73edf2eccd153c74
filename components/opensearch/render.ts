/**
 * Pure renderers for the search area: names, the domain's settings, IAM documents, and the REST
 * bodies of the snapshot policies. The components only wire these to resources.
 */
import type * as aws from "@pulumi/aws";
import {
  OPENSEARCH_MASTERS,
  OPENSEARCH_ZONES,
  parseEngineVersion,
  type BackupRetention,
  type OpenSearchConfig,
} from "../../config";
import { BACKUP_PREFIXES } from "../backup/lifecycle";
import { fitName } from "../core";

type ClusterConfig = aws.types.input.opensearch.DomainClusterConfig;
type EbsOptions = aws.types.input.opensearch.DomainEbsOptions;

/**
 * Domain names: 3-28 characters, lower-case letters, digits and hyphens, starting with a letter
 * (CreateDomain API, DomainName). Longer stack prefixes are shortened with a stable hash.
 */
export const DOMAIN_NAME_MAX = 28;
export const DOMAIN_NAME_PATTERN = /^[a-z][a-z0-9-]{2,27}$/;

export function searchDomainName(componentName: string): string {
  const name = fitName(componentName, DOMAIN_NAME_MAX);
  if (!DOMAIN_NAME_PATTERN.test(name))
    throw new Error(`OpenSearch domain name ${name} is not 3-28 lower-case letters, digits or -`);
  return name;
}

/** TLS policy of the HTTPS endpoint: TLS 1.2 minimum with forward secrecy (AWS's newest). */
export const TLS_SECURITY_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10";

/** The log types published to CloudWatch: slow logs and the error (application) log. */
export const LOG_TYPES = ["INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS", "ES_APPLICATION_LOGS"] as const;
export type LogType = (typeof LOG_TYPES)[number];

export function logGroupName(domainName: string, type: LogType): string {
  return `/aws/opensearch/${domainName}/${type.toLowerCase().replace(/_/g, "-")}`;
}

/** 3 data nodes over 3 zones, 3 dedicated masters. */
export function clusterConfig(s: OpenSearchConfig): ClusterConfig {
  return {
    instanceType: s.data.instanceType,
    instanceCount: s.data.count,
    dedicatedMasterEnabled: true,
    dedicatedMasterType: s.masters.instanceType,
    dedicatedMasterCount: OPENSEARCH_MASTERS,
    zoneAwarenessEnabled: true,
    zoneAwarenessConfig: { availabilityZoneCount: OPENSEARCH_ZONES },
  };
}

/** gp3 with its IOPS and throughput (both only valid for gp3). */
export function ebsOptions(s: OpenSearchConfig): EbsOptions {
  return {
    ebsEnabled: true,
    volumeType: "gp3",
    volumeSize: s.storage.volumeSizeGiB,
    iops: s.storage.iops,
    throughput: s.storage.throughputMiBps,
  };
}

/** arn:aws:es:<region>:<account>:domain/<name> -> its parts. */
export function parseDomainArn(arn: string): { region: string; account: string; name: string } {
  const m = /^arn:aws[a-z-]*:es:([a-z0-9-]+):(\d{12}):domain\/([a-z][a-z0-9-]+)$/.exec(arn);
  if (!m) throw new Error(`not an OpenSearch domain ARN: ${arn}`);
  return { region: m[1]!, account: m[2]!, name: m[3]! };
}

/**
 * The domain's access policy. With fine-grained access control the security plugin authorises
 * each request, so the resource policy lets the account's principals through (the usual FGAC
 * setup), and lets a connected follower domain read for cross-cluster replication:
 * `es:ESCrossClusterGet` on the leader's own ARN (AWS developer guide, "Cross-cluster
 * replication", permissions). Only domains whose connection this domain accepted can use it.
 * Every domain carries it: a promoted DR becomes the leader of the rebuilt old region.
 */
export function domainAccessPolicy(domainArn: string): Record<string, unknown> {
  const { account } = parseDomainArn(domainArn);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountPrincipalsThroughFgac",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: "es:ESHttp*",
        Resource: `${domainArn}/*`,
      },
      {
        Sid: "FollowerCrossClusterGet",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: "es:ESCrossClusterGet",
        Resource: domainArn,
      },
    ],
  };
}

/** Lets OpenSearch Service write the domain's log streams (what log publishing needs first). */
export function logResourcePolicy(logGroupArns: string[], account: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OpenSearchLogPublishing",
        Effect: "Allow",
        Principal: { Service: "es.amazonaws.com" },
        Action: ["logs:PutLogEvents", "logs:CreateLogStream"],
        // Stryker disable next-line Regex: a log group ARN holds ":*" at its end or nowhere
        Resource: logGroupArns.map((arn) => `${arn.replace(/:\*$/, "")}:*`),
        Condition: { StringEquals: { "aws:SourceAccount": account } },
      },
    ],
  };
}

/** The snapshot kinds and where each goes in the vault (one repository per prefix). */
export const SNAPSHOT_KINDS = {
  daily: { vaultPrefix: "opensearchSnapshots", cron: "dailyCron" },
  hourly: { vaultPrefix: "opensearchDelta", cron: "hourlyCron" },
} as const satisfies Record<
  string,
  { vaultPrefix: keyof typeof BACKUP_PREFIXES; cron: keyof OpenSearchConfig["snapshots"] }
>;
export type SnapshotKind = keyof typeof SNAPSHOT_KINDS;

export const snapshotPrefix = (kind: SnapshotKind) =>
  BACKUP_PREFIXES[SNAPSHOT_KINDS[kind].vaultPrefix].prefix;
/**
 * The repository's base_path: the vault prefix, then the domain's region. One writer per
 * repository path (OpenSearch refuses two clusters writing one repository): the DR vault receives
 * the primary vault's objects by replication, so each region's domain writes under its own
 * region and the primary's replicated repository stays a separate, restorable path in DR.
 */
export const snapshotBasePath = (kind: SnapshotKind, region: string) =>
  `${snapshotPrefix(kind)}${region}`;
export const snapshotRetentionDays = (kind: SnapshotKind, retention: BackupRetention) =>
  retention[BACKUP_PREFIXES[SNAPSHOT_KINDS[kind].vaultPrefix].retention];
export const snapshotRepositoryName = (kind: SnapshotKind) => `vega-${kind}`;

/**
 * The snapshot management policy of one kind (SM API "Create or update a policy"): snapshots on
 * the cron, deleted once older than the retention days (backup.retention), keeping at least one.
 * This policy is what expires the repository prefix: the vault's lifecycle never expires current
 * versions there (incremental snapshots share blobs), it only removes what this policy deleted.
 */
export function smPolicyBody(
  kind: SnapshotKind,
  settings: OpenSearchConfig,
  retention: BackupRetention,
): Record<string, unknown> {
  const days = snapshotRetentionDays(kind, retention);
  return {
    description: `Vega ${kind} snapshots into ${snapshotPrefix(kind)}, kept ${days} days (seed 16.2)`,
    creation: {
      schedule: {
        cron: { expression: settings.snapshots[SNAPSHOT_KINDS[kind].cron], timezone: "UTC" },
      },
      time_limit: kind === "hourly" ? "50m" : "6h",
    },
    deletion: {
      schedule: {
        cron: { expression: kind === "hourly" ? "45 * * * *" : "0 4 * * *", timezone: "UTC" },
      },
      condition: { max_age: `${days}d`, min_count: 1 },
      time_limit: "1h",
    },
    snapshot_config: {
      repository: snapshotRepositoryName(kind),
      indices: "*,-.*",
      include_global_state: false,
      date_format: "yyyy-MM-dd-HH-mm",
      timezone: "UTC",
    },
  };
}

/** Role OpenSearch Service assumes to write snapshots: trusted by es.amazonaws.com only. */
export function snapshotTrustPolicy(account: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "es.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": account } },
      },
    ],
  };
}

/** What that role may do: the vault's opensearch/ snapshot prefixes and its key, nothing else. */
export function snapshotAccessPolicy(bucketArn: string, kmsKeyArn: string) {
  const prefixes = (Object.keys(SNAPSHOT_KINDS) as SnapshotKind[]).map(snapshotPrefix);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ListSnapshotPrefixes",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: bucketArn,
        Condition: { StringLike: { "s3:prefix": prefixes.flatMap((p) => [p, `${p}*`]) } },
      },
      {
        Sid: "ReadWriteSnapshots",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: prefixes.map((p) => `${bucketArn}/${p}*`),
      },
      {
        Sid: "VaultKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        Resource: kmsKeyArn,
      },
    ],
  };
}

/** Same major engine version on both sides of cross-cluster replication. */
export function engineMajorProblem(primary: string, dr: string): string | undefined {
  const p = parseEngineVersion(primary);
  const d = parseEngineVersion(dr);
  if (!p || !d) return `cannot compare engine versions ${primary} and ${dr}`;
  return p.major === d.major
    ? undefined
    : `vega-ha:opensearch.engineVersion is ${dr} but the primary runs ${primary}: cross-cluster replication needs the same major version`;
}

/** Auto-follow rule name of a pattern: stable, whatever the order of patterns in config. */
export function autoFollowRuleName(ruleName: string, pattern: string): string {
  const words = pattern.replace(/\*/g, "all").replace(/[^a-z0-9]+/g, "-");
  // Stryker disable next-line Regex: `words` has no run of dashes, so -+$ and -$ agree
  return `${ruleName}-${words.replace(/-+$/, "")}`;
}
