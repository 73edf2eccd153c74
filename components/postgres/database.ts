import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parameterGroupFamily, postgresSettingsProblems, type PostgresConfig } from "../../config";
import { childName, ownKey } from "../core";
import {
  crossRegionReplicaArgs,
  inRegionReplicaArgs,
  primaryInstanceArgs,
  promotedInstanceArgs,
  restoredInstanceArgs,
  type InstanceContext,
} from "./instances";
import { databaseNames } from "./names";
import { dbParameters } from "./parameters";

/** What the instance in this region is. */
export type DatabaseRole =
  /** The writer, Multi-AZ, with an in-region replica (primary stack). */
  | { kind: "primary" }
  /** A cross-region read replica of the primary (DR stack, not promoted). */
  | { kind: "replica"; source: { instanceArn: pulumi.Input<string> } }
  /** The former DR replica, promoted to a standalone writer (DR stack, promoted). */
  | { kind: "promoted" };

export interface MetadataDatabaseArgs {
  /** AWS region of every child. Required. */
  region: string;
  /** The `vega-ha:postgres` settings. Required; the config supplies the defaults. */
  settings: PostgresConfig;
  /** Primary, cross-region replica or promoted. Required. */
  role: DatabaseRole;
  /** VPC and private subnets (≥ 2 zones) of this region. Required. */
  network: pulumi.Input<{ vpcId: string; privateSubnetIds: string[] }>;
  /** Security groups allowed to connect on the port (the cluster nodes'). Required, ≥ 1. */
  clientSecurityGroupIds: pulumi.Input<string>[];
  /** Protect the instances and the key against deletion. Default true. */
  protect?: boolean;
}

/** Throws at once on arguments that cannot work together. */
export function validateMetadataDatabaseArgs(args: MetadataDatabaseArgs): void {
  const problems = postgresSettingsProblems(args.settings).map(
    (p) => `settings.${p.path.join(".")}: ${p.message}, got ${JSON.stringify(p.input)}`,
  );
  if (args.clientSecurityGroupIds.length === 0)
    problems.push("clientSecurityGroupIds: expected at least one security group");
  if (args.role.kind !== "primary" && args.settings.restore !== undefined)
    problems.push("settings.restore: point-in-time restores are made beside the primary only");
  if (problems.length > 0) throw new Error(`MetadataDatabase: ${problems.join("; ")}`);
}

/** The source's ARN, refused when it is not an RDS instance of another region. */
export function crossRegionSource(arn: pulumi.Input<string>, region: string) {
  return pulumi.output(arn).apply((a) => {
    const [, , service, sourceRegion, , kind] = a.split(":");
    if (service !== "rds" || kind !== "db")
      throw new Error(`MetadataDatabase: replica source ${a} is not an RDS DB instance ARN`);
    if (sourceRegion === region)
      throw new Error(
        `MetadataDatabase: replica source ${a} is in ${region}, expected another region (a cross-region replica)`,
      );
    return a;
  });
}

/**
 * The metadata database of one region (seed 16.1/16.2/17.1): its own KMS key, a subnet group in
 * the private subnets, a security group open to the cluster's nodes only, a parameter group,
 * log groups with retention, and the instance(s) for the region's role. The primary also gets an
 * in-region replica and, with `settings.restore`, a point-in-time restore beside it; the DR
 * replica gets its automated backups replicated into its region (PITR in DR).
 */
export class MetadataDatabase extends pulumi.ComponentResource {
  /** The writer (primary, promoted) or the cross-region replica (DR). */
  public readonly instance: aws.rds.Instance;
  public readonly replica?: aws.rds.Instance;
  public readonly restored?: aws.rds.Instance;
  public readonly key: aws.kms.Key;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly identifier: string;
  /** Identifier of the in-region replica, when there is one. */
  public readonly replicaIdentifier?: string;
  /** ARN of the RDS-managed master secret (Secrets Manager), where RDS manages it. */
  public readonly masterSecretArn?: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;
  /** Host name of the instance. */
  public readonly address: pulumi.Output<string>;
  public readonly readerAddress?: pulumi.Output<string>;
  public readonly port: number;
  /** Whether this region's instance takes writes (primary, promoted). */
  public readonly writable: boolean;

  constructor(name: string, args: MetadataDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    validateMetadataDatabaseArgs(args);
    super("vega:postgres:MetadataDatabase", name, {}, opts);
    const { region, settings: s, role } = args;
    const protect = args.protect ?? true;
    const child = { parent: this };
    const names = databaseNames(name);
    this.identifier = names.main;
    this.port = s.port;
    this.writable = role.kind !== "replica";

    this.key = ownKey(
      name,
      { region, description: `Storage, Performance Insights and master secret of ${name}` },
      { parent: this, protect },
    );

    const network = pulumi.output(args.network);
    const subnetGroup = new aws.rds.SubnetGroup(
      childName(name, "subnets"),
      {
        region,
        name: names.main,
        description: `${name}: private subnets`,
        subnetIds: network.privateSubnetIds,
      },
      child,
    );
    const securityGroup = new aws.ec2.SecurityGroup(
      childName(name, "sg"),
      {
        region,
        vpcId: network.vpcId,
        description: `${name}: PostgreSQL from the cluster nodes only`,
        revokeRulesOnDelete: true,
      },
      child,
    );
    this.securityGroupId = securityGroup.id;
    args.clientSecurityGroupIds.forEach((source, i) => {
      new aws.vpc.SecurityGroupIngressRule(
        childName(name, `sg-in-${i}`),
        {
          region,
          securityGroupId: securityGroup.id,
          description: `cluster nodes to PostgreSQL on ${s.port}`,
          ipProtocol: "tcp",
          fromPort: s.port,
          toPort: s.port,
          referencedSecurityGroupId: source,
        },
        child,
      );
    });
    const parameterGroup = new aws.rds.ParameterGroup(
      childName(name, "params"),
      {
        region,
        namePrefix: `${names.main}-`,
        family: parameterGroupFamily(s.engineMajorVersion),
        description: `${name}: TLS only, pg_stat_statements, slow statements and lock waits logged`,
        parameters: dbParameters(s),
      },
      // A family change (major upgrade) needs a new group before the old one can go.
      { ...child, deleteBeforeReplace: false },
    );

    const context = (identifier: string): InstanceContext => ({
      region,
      settings: s,
      identifier,
      kmsKeyArn: this.key.arn,
      parameterGroupName: parameterGroup.name,
      securityGroupId: securityGroup.id,
    });
    // RDS creates missing log groups itself, with no retention: create them first.
    const logGroups = (role: string, identifier: string) =>
      names
        .logGroups(identifier)
        .map(
          (g) =>
            new aws.cloudwatch.LogGroup(
              childName(name, `${role}-log-${g.type}`),
              { region, name: g.name, retentionInDays: s.logRetentionDays },
              child,
            ),
        );
    const instance = (role: string, identifier: string, instanceArgs: aws.rds.InstanceArgs) =>
      new aws.rds.Instance(childName(name, role), instanceArgs, {
        ...child,
        protect,
        dependsOn: logGroups(role, identifier),
      });

    const mainArgs =
      role.kind === "primary"
        ? primaryInstanceArgs(
            context(names.main),
            subnetGroup.name,
            names.finalSnapshot(names.main),
          )
        : role.kind === "replica"
          ? crossRegionReplicaArgs(
              context(names.main),
              crossRegionSource(role.source.instanceArn, region),
              subnetGroup.name,
            )
          : promotedInstanceArgs(
              context(names.main),
              subnetGroup.name,
              names.finalSnapshot(names.main),
            );
    // One logical name for replica and promoted: promotion modifies the instance in place.
    this.instance = instance("instance", names.main, mainArgs);
    this.arn = this.instance.arn;
    if (this.writable)
      this.masterSecretArn = this.instance.masterUserSecrets.apply((m) => m[0]?.secretArn ?? "");
    this.address = this.instance.address;

    if (role.kind === "primary" && s.inRegionReplica) {
      this.replica = instance(
        "replica",
        names.replica,
        inRegionReplicaArgs(context(names.replica), this.instance.identifier),
      );
      this.readerAddress = this.replica.address;
      this.replicaIdentifier = names.replica;
    }
    if (role.kind === "primary" && s.restore !== undefined) {
      const identifier = names.restored(s.restore.suffix);
      this.restored = new aws.rds.Instance(
        childName(name, `restore-${s.restore.suffix}`),
        restoredInstanceArgs(
          context(identifier),
          this.instance.identifier,
          s.restore,
          subnetGroup.name,
          names.finalSnapshot(identifier),
        ),
        { ...child, dependsOn: logGroups(`restore-${s.restore.suffix}`, identifier) },
      );
    }
    if (role.kind === "replica") {
      // Runs in the destination region (this one), naming the source by ARN and encrypting
      // with a key of this region: point-in-time recovery exists in DR.
      new aws.rds.InstanceAutomatedBackupsReplication(
        childName(name, "backups-replication"),
        {
          region,
          sourceDbInstanceArn: crossRegionSource(role.source.instanceArn, region),
          kmsKeyId: this.key.arn,
          retentionPeriod: s.backupRetentionDays,
        },
        // Promotion removes it while the primary region may be down: never call it on delete.
        { ...child, retainOnDelete: true },
      );
    }

    this.registerOutputs({
      arn: this.arn,
      address: this.address,
      readerAddress: this.readerAddress,
      securityGroupId: this.securityGroupId,
    });
  }
}
