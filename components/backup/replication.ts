import type * as aws from "@pulumi/aws";

type ReplicationRule = aws.types.input.s3.BucketReplicationConfigRule;

/** Replication Time Control's SLA, which is also the metrics threshold S3 reports against. */
export const REPLICATION_TIME_MINUTES = 15;

/** Id of the primary→DR rule; S3 replication metrics (and the alarms on them) are per rule id. */
export const PRIMARY_TO_DR_RULE_ID = "primary-to-dr";

export interface ReplicationRuleArgs {
  /** Whether S3 replicates under this rule (false: the rule stays, Disabled). */
  enabled: boolean;
  destinationBucketArn: string;
  destinationKmsKeyArn: string;
  /** S3 Replication Time Control (15 min SLA). */
  replicationTimeControl: boolean;
  /** Replicate delete markers made by deletes in the source. */
  deleteMarkerReplication: boolean;
}

/**
 * The single primary→DR rule: the whole bucket, SSE-KMS objects re-encrypted with the DR key,
 * replication metrics always on (the observability alarms read them), RTC when asked for.
 *
 * The metrics' `eventThreshold` goes with RTC only: S3 refuses it otherwise ("InvalidArgument:
 * Metrics cannot contain an event threshold when ReplicationTime is not specified or Disabled",
 * crossplane-contrib/provider-aws#1117), and RTC requires it.
 */
export function primaryToDrRule(args: ReplicationRuleArgs): ReplicationRule {
  return {
    id: PRIMARY_TO_DR_RULE_ID,
    status: args.enabled ? "Enabled" : "Disabled",
    priority: 1,
    filter: {},
    deleteMarkerReplication: { status: args.deleteMarkerReplication ? "Enabled" : "Disabled" },
    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
    destination: {
      bucket: args.destinationBucketArn,
      storageClass: "STANDARD",
      encryptionConfiguration: { replicaKmsKeyId: args.destinationKmsKeyArn },
      ...(args.replicationTimeControl
        ? {
            metrics: { status: "Enabled", eventThreshold: { minutes: REPLICATION_TIME_MINUTES } },
            replicationTime: { status: "Enabled", time: { minutes: REPLICATION_TIME_MINUTES } },
          }
        : { metrics: { status: "Enabled" } }),
    },
  };
}

/** Config keys the lock check names (DR's own key, and the primary's output it is checked against). */
export const OBJECT_LOCK_KEYS = {
  destination: "vega-ha:backup.objectLock.enabled",
  sourceOutput: "backup.objectLockEnabled",
} as const;

/**
 * Why replication from a source with `sourceLocked` Object Lock into a destination with
 * `destinationLocked` cannot work, or undefined. S3 refuses to replicate a locked version into a
 * bucket without Object Lock: every object fails with DstBucketObjectLockConfigMissing. A source
 * whose lock setting is unknown (a primary deployed before it exported it) is refused only where
 * it matters, when the destination is unlocked.
 */
export function objectLockReplicationProblem(
  sourceLocked: boolean | undefined,
  destinationLocked: boolean,
  primaryStack = "the primary stack",
): string | undefined {
  if (destinationLocked) return undefined;
  if (sourceLocked === undefined)
    return (
      `${OBJECT_LOCK_KEYS.destination} is false here, and ${primaryStack} does not export ` +
      `${OBJECT_LOCK_KEYS.sourceOutput} yet, so replication into an unlocked vault cannot be ` +
      `checked: deploy (pulumi up) the primary stack first`
    );
  if (sourceLocked)
    return (
      `${OBJECT_LOCK_KEYS.destination} is false here but ${primaryStack} exports ` +
      `${OBJECT_LOCK_KEYS.sourceOutput}: true: S3 cannot replicate locked versions into a vault ` +
      `without Object Lock (every object would fail with DstBucketObjectLockConfigMissing). ` +
      `Object Lock is set when a bucket is created and cannot be switched off: set ` +
      `${OBJECT_LOCK_KEYS.destination}: true for a DR vault created with it`
    );
  return undefined;
}
