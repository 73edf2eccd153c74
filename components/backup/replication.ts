import type * as aws from "@pulumi/aws";

type ReplicationRule = aws.types.input.s3.BucketReplicationConfigRule;

/** Replication Time Control's SLA, which is also the metrics threshold S3 reports against. */
export const REPLICATION_TIME_MINUTES = 15;

/** Id of the primary→DR rule; S3 replication metrics (and the alarms on them) are per rule id. */
export const PRIMARY_TO_DR_RULE_ID = "primary-to-dr";

export interface ReplicationRuleArgs {
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
 */
export function primaryToDrRule(args: ReplicationRuleArgs): ReplicationRule {
  return {
    id: PRIMARY_TO_DR_RULE_ID,
    status: "Enabled",
    priority: 1,
    filter: {},
    deleteMarkerReplication: { status: args.deleteMarkerReplication ? "Enabled" : "Disabled" },
    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
    destination: {
      bucket: args.destinationBucketArn,
      storageClass: "STANDARD",
      encryptionConfiguration: { replicaKmsKeyId: args.destinationKmsKeyArn },
      metrics: { status: "Enabled", eventThreshold: { minutes: REPLICATION_TIME_MINUTES } },
      ...(args.replicationTimeControl
        ? { replicationTime: { status: "Enabled", time: { minutes: REPLICATION_TIME_MINUTES } } }
        : {}),
    },
  };
}
