import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CONTRACT_VERSION, type StackConfig, type StackOutputs, type StackOutputsInput } from "../../config";
import { BackupReplication, BackupVault } from "../backup";
import { childName, type PlatformInputs } from "../core";
import { RedisSentinel } from "../redis";

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
  /** The region's cache: its own Redis group, never replicated to the other region. */
  public readonly redis: RedisSentinel;
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

    this.redis = new RedisSentinel(childName(name, "redis"), { namespace: this.namespace, settings: config.redis }, child);

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

    this.outputs = {
      contractVersion: CONTRACT_VERSION,
      role: config.role,
      environment: config.environment,
      region: config.region,
      backup: { region: config.region, bucketName: this.backup.bucketName, bucketArn: this.backup.bucketArn, kmsKeyArn: this.backup.kmsKeyArn },
    };
    this.registerOutputs(this.outputs);
  }
}
