import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../core";
// The alarm modules only (not the observability index, which pulls in the dashboards).
import { CloudWatchAlarms } from "../observability/alarms/alarms";
import { s3ReplicationAlarms } from "../observability/alarms/builders";
import type { AlarmSpec } from "../observability/alarms/spec";
import { replicationRolePolicy, serviceAssumeRolePolicy } from "./policies";
import {
  objectLockReplicationProblem,
  PRIMARY_TO_DR_RULE_ID,
  primaryToDrRule,
  REPLICATION_TIME_MINUTES,
} from "./replication";

export interface VaultEnd {
  /** Region of the vault (the primary's comes from its outputs contract, so it may be an output). */
  region: pulumi.Input<string>;
  /** Bucket name (the source end only needs it: the config is placed on that bucket). */
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
}

export interface BackupReplicationArgs {
  /** The primary vault (from the primary's outputs contract). Required. */
  source: VaultEnd & {
    /**
     * Whether the primary vault has Object Lock (contract `backup.objectLockEnabled`). Required
     * key, may be undefined: a primary deployed before it exported the field.
     */
    objectLockEnabled: pulumi.Input<boolean | undefined>;
    /** SNS topic in the source region: the replication-failure alarms notify it. Required. */
    alertTopicArn: pulumi.Input<string>;
    /** The stack the source comes from, named in errors. Required. */
    stack: string;
  };
  /** This stack's (DR) vault. Required. */
  destination: VaultEnd & {
    /** Whether this vault has Object Lock. Required. */
    objectLockEnabled: boolean;
  };
  /**
   * Whether S3 replicates. Required (config `backup.replication.enabled`). False keeps the link
   * with its rule Disabled instead of dropping it, so no rule is left behind on the primary bucket.
   */
  enabled: boolean;
  /** S3 Replication Time Control. Required (config `backup.replication.replicationTimeControl`). */
  replicationTimeControl: boolean;
  /** Replicate delete markers. Required (config `backup.replication.deleteMarkerReplication`). */
  deleteMarkerReplication: boolean;
}

function resolveEnd(
  end: VaultEnd,
): pulumi.Output<{ region: string; bucketArn: string; kmsKeyArn: string }> {
  return pulumi.output({ region: end.region, bucketArn: end.bucketArn, kmsKeyArn: end.kmsKeyArn });
}

function assertDistinctRegions(
  source: pulumi.Input<string>,
  destination: pulumi.Input<string>,
): void {
  if (typeof source === "string" && source === destination) {
    throw new Error(
      `BackupReplication: source and destination are both in ${source}; cross-region replication needs two regions`,
    );
  }
}

/**
 * The DR stack's whole cross-region link of the backup vault, in one component: the IAM role S3
 * assumes, the replication configuration placed on the *primary* bucket in the primary's region,
 * and the replication-failure alarms in the primary's region (S3 publishes that metric there).
 *
 * Promotion (`promoted: true`) removes this component while the primary region, and perhaps IAM's
 * control plane in us-east-1, may be unreachable: every child is `retainOnDelete`, so removing it
 * only drops it from state and calls no AWS API.
 */
export class BackupReplication extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly configuration: aws.s3.BucketReplicationConfig;
  /** Alarms S3 publishes in the destination's (this) region: the caller's CloudWatchAlarms places them. */
  public readonly destinationAlarms: AlarmSpec[];

  constructor(name: string, args: BackupReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    assertDistinctRegions(args.source.region, args.destination.region);
    super("vega:backup:BackupReplication", name, {}, opts);
    // Removing the link must never call the failed region or IAM (see the class comment).
    const child = { parent: this, retainOnDelete: true };

    this.role = new aws.iam.Role(
      childName(name, "role"),
      {
        description: pulumi.interpolate`S3 replication ${args.source.region} -> ${args.destination.region}`,
        assumeRolePolicy: JSON.stringify(serviceAssumeRolePolicy("s3.amazonaws.com")),
      },
      child,
    );
    const policy = new aws.iam.RolePolicy(
      childName(name, "role-policy"),
      {
        role: this.role.id,
        policy: pulumi
          .all([resolveEnd(args.source), resolveEnd(args.destination)])
          .apply(([source, destination]) => {
            assertDistinctRegions(source.region, destination.region);
            return JSON.stringify(replicationRolePolicy({ source, destination }));
          }),
      },
      child,
    );

    this.configuration = new aws.s3.BucketReplicationConfig(
      childName(name, "config"),
      {
        region: args.source.region,
        bucket: args.source.bucketName,
        role: this.role.arn,
        rules: [
          pulumi
            .all([
              args.destination.bucketArn,
              args.destination.kmsKeyArn,
              args.source.objectLockEnabled,
            ])
            .apply(([bucketArn, kmsKeyArn, sourceLocked]) => {
              const problem = args.enabled
                ? objectLockReplicationProblem(
                    sourceLocked,
                    args.destination.objectLockEnabled,
                    args.source.stack,
                  )
                : undefined;
              if (problem) throw new Error(`BackupReplication ${name}: ${problem}`);
              return primaryToDrRule({
                enabled: args.enabled,
                destinationBucketArn: bucketArn,
                destinationKmsKeyArn: kmsKeyArn,
                replicationTimeControl: args.replicationTimeControl,
                deleteMarkerReplication: args.deleteMarkerReplication,
              });
            }),
        ],
      },
      { ...child, dependsOn: [policy] },
    );

    const alarms = s3ReplicationAlarms({
      name: "backup-replication",
      sourceBucket: args.source.bucketName,
      destinationBucket: args.destination.bucketName,
      ruleId: PRIMARY_TO_DR_RULE_ID,
      replicationTimeMinutes: REPLICATION_TIME_MINUTES,
    });
    new CloudWatchAlarms(
      childName(name, "source-alarms"),
      {
        region: args.source.region,
        topicArn: args.source.alertTopicArn,
        alarms: alarms.sourceRegion,
        retainOnDelete: true,
      },
      {
        parent: this,
        // Created beside this component, under the same name, before it owned them.
        aliases: opts?.parent ? [{ parent: opts.parent }] : [],
      },
    );
    this.destinationAlarms = alarms.destinationRegion;

    this.registerOutputs({ roleArn: this.role.arn });
  }
}
