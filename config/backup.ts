/**
 * Backup storage config. Defaults are seed 16.2 (backup strategy table).
 */
import { z } from "zod";
import { bool, integer, oneOf, refuse, section } from "./types";

/** Seed 16.2 retention, in days. */
export const SEED_BACKUP_RETENTION = {
  /** 元数据 (PG) 逻辑备份 pg_dump, daily: 30 days. */
  metadataDailyDays: 30,
  /** 元数据 (PG) WAL 归档, realtime: 7 days (RDS automated backups / PITR). */
  walArchiveDays: 7,
  /** OpenSearch 快照, daily: 14 days. */
  opensearchSnapshotDays: 14,
  /** OpenSearch 增量备份 (Delta), hourly: 3 days. */
  opensearchDeltaDays: 3,
} as const;

export const backupSchema = section({
  retention: section({
    /** `metadata/daily/` pg_dump files. Default 30 (seed 16.2). */
    metadataDailyDays: integer(1, 3650).default(SEED_BACKUP_RETENTION.metadataDailyDays),
    /** `opensearch/snapshots/` daily snapshots. Default 14 (seed 16.2). */
    opensearchSnapshotDays: integer(1, 3650).default(SEED_BACKUP_RETENTION.opensearchSnapshotDays),
    /** `opensearch/delta/` hourly snapshots. Default 3 (seed 16.2). */
    opensearchDeltaDays: integer(1, 3650).default(SEED_BACKUP_RETENTION.opensearchDeltaDays),
    /**
     * `opensearch/logs/` (slow and audit logs shipped beside the snapshots; the seed gives no
     * figure). Default 14: as long as the oldest restorable snapshot, so every snapshot keeps
     * the logs that explain it.
     */
    opensearchLogsDays: integer(1, 3650).default(14),
    /** Days an overwritten or deleted object version is kept before it is removed. Default 1. */
    noncurrentVersionDays: integer(1, 365).default(1),
    /** Days before an unfinished multipart upload is aborted. Default 2. */
    incompleteUploadDays: integer(1, 30).default(2),
  }),
  objectLock: section({
    /** S3 Object Lock (immutable backups). Only settable when the bucket is created. Default true. */
    enabled: bool().default(true),
    /** Lock mode. GOVERNANCE only: COMPLIANCE would stop lifecycle expiry being bypassed by anyone. */
    mode: oneOf(["GOVERNANCE"] as const).default("GOVERNANCE"),
    /**
     * Default retention of every new version, in days. Must not exceed the shortest retention
     * (lifecycle expiry, or a snapshot policy's delete on the repository prefixes), or removal
     * would be held back by the lock. Default 3 (opensearchDeltaDays).
     */
    days: integer(1, 3650).default(SEED_BACKUP_RETENTION.opensearchDeltaDays),
  }),
  replication: section({
    /** The DR stack replicates the primary vault into its own. Default true. */
    enabled: bool().default(true),
    /** S3 Replication Time Control (15-minute SLA, with metrics). Default true. */
    replicationTimeControl: bool().default(true),
    /**
     * Replicate delete markers. Default false: a delete in the primary (accident or attack)
     * never hides the DR copy; DR's own lifecycle enforces the same retention.
     */
    deleteMarkerReplication: bool().default(false),
  }),
}).superRefine((b, ctx) => {
  const problem = objectLockProblem(b.retention, b.objectLock);
  if (problem) refuse(ctx, ["objectLock", "days"], b.objectLock.days, problem);
});

/**
 * Object Lock holds every version for `days` from its creation. If that outlasts the shortest
 * retention, removal under that prefix silently waits for the lock: refuse it. This covers the
 * snapshot repository prefixes too (opensearchSnapshotDays, opensearchDeltaDays): the snapshot
 * policy deletes without a version id, which only places a delete marker (governance allows it),
 * and the version left behind is removed by lifecycle once its lock has run out.
 */
export function objectLockProblem(
  retention: {
    metadataDailyDays: number;
    opensearchSnapshotDays: number;
    opensearchDeltaDays: number;
    opensearchLogsDays: number;
  },
  objectLock: { enabled: boolean; days: number },
): string | undefined {
  if (!objectLock.enabled) return undefined;
  const shortest = Math.min(
    retention.metadataDailyDays,
    retention.opensearchSnapshotDays,
    retention.opensearchDeltaDays,
    retention.opensearchLogsDays,
  );
  return objectLock.days > shortest
    ? `expected at most ${shortest} (the shortest retention, lifecycle or snapshot policy), or removal is held back by the lock`
    : undefined;
}

export type BackupConfig = z.infer<typeof backupSchema>;
export type BackupRetention = BackupConfig["retention"];
