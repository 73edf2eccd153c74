import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../core";
import { replicationRolePolicy, serviceAssumeRolePolicy } from "./policies";
import { primaryToDrRule } from "./replication";

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
  source: VaultEnd;
  /** This stack's (DR) vault. Required. */
  destination: VaultEnd;
  /** S3 Replication Time Control. Default true. */
  replicationTimeControl?: boolean;
  /** Replicate delete markers. Default false (a delete in the primary never hides the DR copy). */
  deleteMarkerReplication?: boolean;
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
 * Primary → DR replication of the backup vault, owned by the DR stack: the IAM role S3 assumes
 * and the replication configuration placed on the *primary* bucket, in the primary's region.
 */
export class BackupReplication extends pulumi.ComponentResource {
  public readonly role: aws.iam.Role;
  public readonly configuration: aws.s3.BucketReplicationConfig;

  constructor(name: string, args: BackupReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    assertDistinctRegions(args.source.region, args.destination.region);
    super("vega:backup:BackupReplication", name, {}, opts);
    const child = { parent: this };

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
            .all([args.destination.bucketArn, args.destination.kmsKeyArn])
            .apply(([bucketArn, kmsKeyArn]) =>
              primaryToDrRule({
                destinationBucketArn: bucketArn,
                destinationKmsKeyArn: kmsKeyArn,
                replicationTimeControl: args.replicationTimeControl ?? true,
                deleteMarkerReplication: args.deleteMarkerReplication ?? false,
              }),
            ),
        ],
      },
      {
        ...child,
        dependsOn: [policy],
        // Promotion removes this link while the primary region may be unreachable: drop it from
        // state without calling that region (see README, region failover).
        retainOnDelete: true,
      },
    );

    this.registerOutputs({ roleArn: this.role.arn });
  }
}
