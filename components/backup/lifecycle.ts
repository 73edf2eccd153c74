import type * as aws from "@pulumi/aws";
import type { BackupRetention } from "../../config";
import { cleanupRule, expiringPrefixRule } from "../core";

type LifecycleRule = aws.types.input.s3.BucketLifecycleConfigurationRule;

/**
 * The vault's layout (seed 16.1) and how long each prefix is kept (seed 16.2). Each entry is the
 * prefix writers use and the retention key that governs it.
 */
export const BACKUP_PREFIXES = {
  metadataDaily: { prefix: "metadata/daily/", retention: "metadataDailyDays" },
  opensearchSnapshots: { prefix: "opensearch/snapshots/", retention: "opensearchSnapshotDays" },
  opensearchDelta: { prefix: "opensearch/delta/", retention: "opensearchDeltaDays" },
  opensearchLogs: { prefix: "opensearch/logs/", retention: "opensearchLogsDays" },
} as const satisfies Record<string, { prefix: string; retention: keyof BackupRetention }>;

export type BackupPrefixKind = keyof typeof BACKUP_PREFIXES;

/** Rule id for a prefix: stable, readable in the console. */
export const lifecycleRuleId = (kind: BackupPrefixKind) =>
  `expire-${BACKUP_PREFIXES[kind].prefix.replace(/\/$/, "").replace(/\//g, "-")}`;

/**
 * Lifecycle rules that make retention real under versioning: the current version expires after
 * the prefix's days (a delete marker is placed), the version it leaves behind is removed
 * `noncurrentVersionDays` later, and the then-orphaned delete markers and unfinished uploads are
 * cleaned by a bucket-wide rule. Without the last two, versioning would keep every byte forever.
 */
export function backupLifecycleRules(retention: BackupRetention): LifecycleRule[] {
  const perPrefix = (Object.keys(BACKUP_PREFIXES) as BackupPrefixKind[]).map((kind) =>
    expiringPrefixRule(
      lifecycleRuleId(kind),
      BACKUP_PREFIXES[kind].prefix,
      retention[BACKUP_PREFIXES[kind].retention],
      retention.noncurrentVersionDays,
    ),
  );
  return [...perPrefix, cleanupRule(retention.incompleteUploadDays)];
}

/**
 * Days after which a version is gone for good: its expiry, then the noncurrent window, and never
 * before its Object Lock retention ends (a locked version is not deleted). No lock: 0.
 */
export function versionGoneAfterDays(
  expirationDays: number,
  noncurrentDays: number,
  objectLockDays: number | undefined,
): number {
  return Math.max(expirationDays + noncurrentDays, objectLockDays ?? 0);
}

/** {@link versionGoneAfterDays} for the versions written under one of the vault's prefixes. */
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
