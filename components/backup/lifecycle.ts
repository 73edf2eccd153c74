import type * as aws from "@pulumi/aws";
import type { BackupRetention } from "../../config";
import { cleanupRule, expiringPrefixRule, noncurrentVersionsRule } from "../core";

type LifecycleRule = aws.types.input.s3.BucketLifecycleConfigurationRule;

/**
 * Who deletes the current objects under a prefix once they are older than its retention:
 * - `lifecycle`: S3 lifecycle, by object age (whole files written once: pg_dump, logs).
 * - `snapshot-policy`: the prefix is an OpenSearch snapshot repository, and its snapshot
 *   management policy deletes snapshots after the same retention key (deletion.condition.max_age,
 *   components/opensearch/render.ts). Snapshots are incremental: a segment blob written on day 1
 *   is referenced by every later snapshot that kept the segment, and index-N / index.latest /
 *   metadata blobs are rewritten in place, so expiring these objects by age corrupts the newer
 *   snapshots. AWS ("Creating index snapshots in Amazon OpenSearch Service": no S3 Glacier
 *   lifecycle rule on the snapshot bucket) and Elastic ("Snapshot repository contents": do not
 *   modify anything in the repository or run processes that interfere with it; only the
 *   snapshot APIs may delete) say the same: only the cluster deletes from its repository.
 */
export type ExpiredBy = "lifecycle" | "snapshot-policy";

/**
 * The vault's layout (seed 16.1) and how long each prefix is kept (seed 16.2). Each entry is the
 * prefix writers use, the retention key that governs it and who enforces that retention.
 */
export const BACKUP_PREFIXES = {
  metadataDaily: {
    prefix: "metadata/daily/",
    retention: "metadataDailyDays",
    expiredBy: "lifecycle",
  },
  opensearchSnapshots: {
    prefix: "opensearch/snapshots/",
    retention: "opensearchSnapshotDays",
    expiredBy: "snapshot-policy",
  },
  opensearchDelta: {
    prefix: "opensearch/delta/",
    retention: "opensearchDeltaDays",
    expiredBy: "snapshot-policy",
  },
  opensearchLogs: {
    prefix: "opensearch/logs/",
    retention: "opensearchLogsDays",
    expiredBy: "lifecycle",
  },
} as const satisfies Record<
  string,
  { prefix: string; retention: keyof BackupRetention; expiredBy: ExpiredBy }
>;

export type BackupPrefixKind = keyof typeof BACKUP_PREFIXES;

const PREFIX_KINDS = Object.keys(BACKUP_PREFIXES) as BackupPrefixKind[];

/** The prefixes that are snapshot repositories (their current versions are never lifecycle-expired). */
export const SNAPSHOT_REPOSITORY_PREFIXES: string[] = PREFIX_KINDS.filter(
  (kind) => BACKUP_PREFIXES[kind].expiredBy === "snapshot-policy",
).map((kind) => BACKUP_PREFIXES[kind].prefix);

/** Rule id for a prefix: stable, readable in the console, says what the rule removes. */
export const lifecycleRuleId = (kind: BackupPrefixKind) =>
  `${BACKUP_PREFIXES[kind].expiredBy === "lifecycle" ? "expire" : "noncurrent"}-${BACKUP_PREFIXES[
    kind
  ].prefix
    .replace(/\/$/, "")
    .replace(/\//g, "-")}`;

/**
 * Lifecycle rules that make retention real under versioning. A `lifecycle` prefix: the current
 * version expires after the prefix's days (a delete marker is placed) and the version it leaves
 * behind is removed `noncurrentVersionDays` later. A `snapshot-policy` prefix: the snapshot
 * policy deletes (a delete marker under versioning) and the rule only removes the noncurrent
 * version `noncurrentVersionDays` later. A bucket-wide rule cleans the then-orphaned delete
 * markers and unfinished uploads. Without the last two, versioning would keep every byte forever.
 */
export function backupLifecycleRules(retention: BackupRetention): LifecycleRule[] {
  const perPrefix = PREFIX_KINDS.map((kind) => {
    const { prefix, retention: key, expiredBy } = BACKUP_PREFIXES[kind];
    return expiredBy === "lifecycle"
      ? expiringPrefixRule(
          lifecycleRuleId(kind),
          prefix,
          retention[key],
          retention.noncurrentVersionDays,
        )
      : noncurrentVersionsRule(lifecycleRuleId(kind), prefix, retention.noncurrentVersionDays);
  });
  return [...perPrefix, cleanupRule(retention.incompleteUploadDays)];
}

/**
 * Days after which a version is gone for good: its expiry (by lifecycle, or the snapshot policy's
 * max_age for a repository prefix), then the noncurrent window, and never before its Object Lock
 * retention ends (a locked version is not deleted). No lock: 0.
 */
export function versionGoneAfterDays(
  expirationDays: number,
  noncurrentDays: number,
  objectLockDays: number | undefined,
): number {
  return Math.max(expirationDays + noncurrentDays, objectLockDays ?? 0);
}

/**
 * {@link versionGoneAfterDays} for the versions written under one of the vault's prefixes. For a
 * snapshot repository this is the snapshot's own data: blobs still referenced by a newer snapshot
 * stay current (as they must) until the last snapshot using them is deleted.
 */
export function effectiveRetentionDays(
  retention: BackupRetention,
  kind: BackupPrefixKind,
  objectLockDays: number | undefined,
): number {
  return versionGoneAfterDays(
    retention[BACKUP_PREFIXES[kind].retention],
    retention.noncurrentVersionDays,
    objectLockDays,
  );
}
