import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CONTRACT_VERSION, type StackConfig, type StackOutputs, type StackOutputsInput } from "../../config";
import { BackupReplication, BackupVault, PRIMARY_TO_DR_RULE_ID, REPLICATION_TIME_MINUTES } from "../backup";
import { childName, type PlatformInputs } from "../core";
import { CloudWatchAlarms, Observability, s3ReplicationAlarms } from "../observability";

export interface VegaRegionArgs {
  /** The validated stack config. Required. */
  config: StackConfig;
  /** Network, cluster and zone of this region. Required. */
  platform: PlatformInputs;
  /** DR only: the primary's outputs contract, parsed. Required when config.role is dr. */
  primary?: pulumi.Output<StackOutputs>;
}

/** Whether a DR region still follows the primary (replication into it runs). */
export function followsPrimary(config: Pick<StackConfig, "role" | "promoted">): boolean {
  return config.role === "dr" && config.promoted !== true;
}

/** Throws at once on arguments that cannot work together. */
export function validateVegaRegionArgs(args: VegaRegionArgs): void {
  if (args.config.role === "dr" && args.primary === undefined) {
    throw new Error("VegaRegion: a dr region needs the primary's outputs contract (args.primary)");
  }
  if (args.config.role === "primary" && args.primary !== undefined) {
    throw new Error("VegaRegion: the primary region never reads another stack (args.primary must be unset)");
  }
}

/**
 * Everything vega-ha runs in one region. The primary builds its own pieces; the DR region builds
 * its own pieces plus every cross-region link to the primary.
 */
export class VegaRegion extends pulumi.ComponentResource {
  /** The stack outputs contract of this region (config/contract.ts). */
  public readonly outputs: StackOutputsInput;
  public readonly backup: BackupVault;
  public readonly observability: Observability;
  public readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: VegaRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    validateVegaRegionArgs(args);
    super("vega:region:VegaRegion", name, {}, opts);
    const { config } = args;
    const child = { parent: this };

    this.namespace = config.kubernetes.createNamespace
      ? new k8s.core.v1.Namespace(childName(name, "namespace"), {
          metadata: { name: config.kubernetes.namespace, labels: { "app.kubernetes.io/part-of": "vega" } },
        }, { ...child, protect: config.protect }).metadata.name
      : pulumi.output(config.kubernetes.namespace);

    this.backup = new BackupVault(childName(name, "backup"), {
      region: config.region,
      retention: config.backup.retention,
      objectLock: config.backup.objectLock,
      protect: config.protect,
    }, child);

    if (args.primary && followsPrimary(config) && config.backup.replication.enabled) {
      const primaryBackup = args.primary.backup;
      new BackupReplication(childName(name, "backup-replication"), {
        source: {
          region: primaryBackup.region,
          bucketName: primaryBackup.bucketName,
          bucketArn: primaryBackup.bucketArn,
          kmsKeyArn: primaryBackup.kmsKeyArn,
        },
        destination: { region: config.region, bucketName: this.backup.bucketName, bucketArn: this.backup.bucketArn, kmsKeyArn: this.backup.kmsKeyArn },
        replicationTimeControl: config.backup.replication.replicationTimeControl,
        deleteMarkerReplication: config.backup.replication.deleteMarkerReplication,
      }, child);
    }

    // Observability. In a DR region that follows the primary, the backup vault's replication is
    // watched too: latency where S3 publishes it (here), failures in the primary's region, on the
    // primary's topic (alarms only notify topics of their own region).
    const replicationAlarms = args.primary && followsPrimary(config) && config.backup.replication.enabled
      ? s3ReplicationAlarms({
          name: "backup-replication",
          sourceBucket: args.primary.backup.bucketName,
          destinationBucket: this.backup.bucketName,
          ruleId: PRIMARY_TO_DR_RULE_ID,
          replicationTimeMinutes: REPLICATION_TIME_MINUTES,
        })
      : undefined;
    this.observability = new Observability(childName(name, "observability"), {
      region: config.region,
      namespace: this.namespace,
      config: config.observability,
      alarms: replicationAlarms?.destinationRegion,
      protect: config.protect,
    }, child);
    if (args.primary && replicationAlarms) {
      new CloudWatchAlarms(childName(name, "backup-replication-source-alarms"), {
        region: args.primary.backup.region,
        topicArn: args.primary.observability.alertTopicArn,
        alarms: replicationAlarms.sourceRegion,
        // Promotion removes them while the primary region may be unreachable (as the replication).
        retainOnDelete: true,
      }, child);
    }

    this.outputs = {
      contractVersion: CONTRACT_VERSION,
      role: config.role,
      environment: config.environment,
      region: config.region,
      backup: { region: config.region, bucketName: this.backup.bucketName, bucketArn: this.backup.bucketArn, kmsKeyArn: this.backup.kmsKeyArn },
      observability: { alertTopicArn: this.observability.alertTopicArn },
    };
    this.registerOutputs(this.outputs);
  }
}
