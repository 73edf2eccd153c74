import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  CONTRACT_VERSION,
  postgresMaxConnections,
  requirePrimarySection,
  WORKER_POOLS,
  type StackConfig,
  type StackOutputs,
  type StackOutputsInput,
} from "../../config";
import { BackupReplication, BackupVault } from "../backup";
import { childName, type PlatformInputs } from "../core";
import {
  DnsFailover,
  Edge,
  failoverRole,
  failoverZone,
  LEGACY_LOAD_BALANCER_LOG_BUCKET_TYPE,
} from "../edge";
import { Gateway, gatewayObjectName } from "../gateway";
import {
  albAlarms,
  Observability,
  openSearchAlarms,
  rdsAlarms,
  type DashboardSet,
} from "../observability";
import { CrossClusterReplication, SearchDomain } from "../opensearch";
import { WorkerPool } from "../workers";
import { RedisSentinel } from "../redis";
import {
  APP_ROLE_KEY,
  BACKUP_ROLE_KEY,
  DatabaseAccess,
  LogicalBackup,
  MetadataDatabase,
  type DatabaseRole,
} from "../postgres";

export interface VegaRegionArgs {
  /** The validated stack config. Required. */
  config: StackConfig;
  /** Network, cluster and zone of this region. Required. */
  platform: PlatformInputs;
  /** DR only: the primary's outputs contract, parsed. Required when config.role is dr. */
  primary?: pulumi.Output<StackOutputs>;
  /** The Grafana dashboards the region's Observability ships (dashboards/ VEGA_DASHBOARDS). Required. */
  dashboards: DashboardSet;
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
    throw new Error(
      "VegaRegion: the primary region never reads another stack (args.primary must be unset)",
    );
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
  /** The region's cache: its own Redis group, never replicated to the other region. */
  public readonly redis: RedisSentinel;
  public readonly namespace: pulumi.Output<string>;
  public readonly edge: Edge;
  /** The region's search domain (undefined with opensearch.enabled false). */
  public readonly search?: SearchDomain;
  /** The metadata database of this region (config postgres.enabled). */
  public readonly postgres?: MetadataDatabase;

  constructor(name: string, args: VegaRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    validateVegaRegionArgs(args);
    super("vega:region:VegaRegion", name, {}, opts);
    const { config } = args;
    const child = { parent: this };

    this.namespace = config.kubernetes.createNamespace
      ? new k8s.core.v1.Namespace(
          childName(name, "namespace"),
          {
            metadata: {
              name: config.kubernetes.namespace,
              labels: { "app.kubernetes.io/part-of": "vega" },
            },
          },
          { ...child, protect: config.protect },
        ).metadata.name
      : pulumi.output(config.kubernetes.namespace);

    this.backup = new BackupVault(
      childName(name, "backup"),
      {
        region: config.region,
        retention: config.backup.retention,
        objectLock: config.backup.objectLock,
        protect: config.protect,
      },
      child,
    );

    this.redis = new RedisSentinel(
      childName(name, "redis"),
      {
        namespace: this.namespace,
        settings: config.redis,
        serviceMonitorLabels: { release: config.observability.prometheusRelease },
      },
      child,
    );

    const postgres = config.postgres.enabled
      ? this.metadataDatabase(name, args, this.backup)
      : undefined;
    this.postgres = postgres?.database;

    // The primary's contract, when this region replicates from it (DR, not promoted). The link
    // stays declared with replication.enabled false (its rule Disabled): see components/backup.
    const replicatingFrom = followsPrimary(config) ? args.primary : undefined;
    const replication = replicatingFrom
      ? new BackupReplication(
          childName(name, "backup-replication"),
          {
            source: {
              region: replicatingFrom.backup.region,
              bucketName: replicatingFrom.backup.bucketName,
              bucketArn: replicatingFrom.backup.bucketArn,
              kmsKeyArn: replicatingFrom.backup.kmsKeyArn,
              objectLockEnabled: replicatingFrom.backup.objectLockEnabled,
              alertTopicArn: replicatingFrom.observability.alertTopicArn,
              stack: config.primaryStack ?? "the primary stack",
            },
            destination: {
              region: config.region,
              bucketName: this.backup.bucketName,
              bucketArn: this.backup.bucketArn,
              kmsKeyArn: this.backup.kmsKeyArn,
              objectLockEnabled: this.backup.objectLockEnabled,
            },
            ...config.backup.replication,
          },
          child,
        )
      : undefined;

    // Search (seed 16.1, 17.1): the region's domain, snapshotting into its own vault; in DR it
    // follows the primary's domain over cross-cluster replication (owned here, like every link).
    if (config.opensearch.enabled) {
      this.search = new SearchDomain(
        childName(name, "search"),
        {
          region: config.region,
          settings: config.opensearch,
          network: args.platform.network,
          kmsKeyArn: this.backup.kmsKeyArn,
          snapshots: {
            bucketName: this.backup.bucketName,
            bucketArn: this.backup.bucketArn,
            kmsKeyArn: this.backup.kmsKeyArn,
            retention: config.backup.retention,
          },
          protect: config.protect,
        },
        child,
      );
      if (config.role === "dr" && args.primary) {
        new CrossClusterReplication(
          childName(name, "search-replication"),
          {
            follower: {
              region: config.region,
              domainName: this.search.domainName,
              domainArn: this.search.domainArn,
              endpoint: this.search.endpoint,
              engineVersion: this.search.engineVersion,
            },
            primary: args.primary,
            settings: config.opensearch.replication,
            promoted: config.promoted === true,
          },
          child,
        );
      }
    }

    // Edge and compute (seed 17.1-17.5): gateways behind the ALB, DNS failover, worker pools.
    const healthPath = config.edge.targetGroup.healthCheck.path;
    const gateway = new Gateway(
      childName(name, "gateway"),
      {
        namespace: this.namespace,
        config: config.gateway,
        deregistrationDelaySeconds: config.edge.targetGroup.deregistrationDelaySeconds,
        healthPath,
        targetGroupBinding: gatewayObjectName(config.gateway),
      },
      child,
    );
    this.edge = new Edge(
      childName(name, "edge"),
      {
        region: config.region,
        network: args.platform.network,
        config: config.edge,
        target: {
          serviceName: gateway.serviceName,
          namespace: this.namespace,
          port: gateway.port,
          bindingName: gatewayObjectName(config.gateway),
        },
        accessLogBucket: {
          noncurrentVersionDays: config.backup.retention.noncurrentVersionDays,
          incompleteUploadDays: config.backup.retention.incompleteUploadDays,
          protect: config.protect,
          // It was the backup vault's child before the edge owned it: same bucket, no replacement.
          aliases: [
            {
              name: childName(childName(name, "backup"), "lb-logs"),
              type: LEGACY_LOAD_BALANCER_LOG_BUCKET_TYPE,
              parent: this.backup,
            },
          ],
        },
        deletionProtection: config.protect,
      },
      child,
    );
    const dnsZone = failoverZone(args.platform.dns, args.primary?.edge, this);
    const failover = failoverRole(config.role);
    const dns = new DnsFailover(
      childName(name, "dns"),
      {
        failover,
        region: config.region,
        zoneId: dnsZone.zoneId,
        recordName: dnsZone.domain,
        loadBalancer: { dnsName: this.edge.dnsName, zoneId: this.edge.zoneId },
        healthPath,
        settings: config.edge.dns,
      },
      child,
    );
    for (const pool of WORKER_POOLS) {
      new WorkerPool(
        childName(name, `workers-${pool}`),
        {
          namespace: this.namespace,
          pool,
          config: config.workers[pool],
          mode: followsPrimary(config) ? "standby" : "full",
        },
        child,
      );
    }

    // Observability: the load balancer is watched in every region; in a DR region that follows
    // the primary, the replication's latency too (S3 publishes it here; its failure alarms, in
    // the primary's region, belong to the link).
    this.observability = new Observability(
      childName(name, "observability"),
      {
        region: config.region,
        namespace: this.namespace,
        config: config.observability,
        alarms: [
          ...albAlarms({
            name: "edge",
            loadBalancer: this.edge.loadBalancerArnSuffix,
            targetGroup: this.edge.targetGroupArnSuffix,
            thresholds: config.observability.thresholds,
          }),
          ...(replication?.destinationAlarms ?? []),
          ...(this.search
            ? openSearchAlarms({
                name: "search",
                domainName: this.search.domainName,
                accountId: this.search.accountId,
                volumeSizeGiB: config.opensearch.storage.volumeSizeGiB,
                follower: followsPrimary(config) && {
                  leaderAlias: config.opensearch.replication.connectionAlias,
                  lagPeriodMinutes: config.opensearch.replication.lagAlarmPeriodMinutes,
                },
                thresholds: config.observability.thresholds,
              })
            : []),
          ...(postgres?.alarms ?? []),
        ],
        searchDomainName: this.search?.domainName,
        gatewayDeployment: gatewayObjectName(config.gateway),
        dashboards: args.dashboards,
        databaseInstances: postgres?.instances,
        protect: config.protect,
      },
      child,
    );
    this.outputs = {
      contractVersion: CONTRACT_VERSION,
      role: config.role,
      promoted: config.promoted === true,
      environment: config.environment,
      region: config.region,
      backup: {
        region: config.region,
        bucketName: this.backup.bucketName,
        bucketArn: this.backup.bucketArn,
        kmsKeyArn: this.backup.kmsKeyArn,
        objectLockEnabled: this.backup.objectLockEnabled,
      },
      observability: { alertTopicArn: this.observability.alertTopicArn },
      edge: {
        recordName: dnsZone.domain,
        zoneId: dnsZone.zoneId,
        failover,
        setIdentifier: dns.setIdentifier,
        healthCheckId: dns.healthCheck.id,
        loadBalancerDnsName: this.edge.dnsName,
      },
      opensearch: this.search
        ? pulumi.output({
            domainArn: this.search.domainArn,
            domainName: this.search.domainName,
            endpoint: this.search.endpoint,
            region: this.search.region,
            engineVersion: this.search.engineVersion,
          })
        : undefined,
      postgres: postgres?.outputs,
      redis: pulumi.output({
        sentinelAddress: this.redis.sentinelAddress,
        masterGroup: this.redis.masterGroup,
        authSecret: this.redis.passwordSecretName,
      }),
    };
    this.registerOutputs(this.outputs);
  }

  /**
   * The metadata database for the region's role: the primary writer, the DR replica of the
   * primary's instance (its ARN from the contract), or the promoted DR writer. Where it takes
   * writes: the credential Secrets (and roles) and the daily pg_dump CronJob.
   */
  private metadataDatabase(name: string, args: VegaRegionArgs, vault: BackupVault) {
    const { config } = args;
    const s = config.postgres;
    const child = { parent: this };
    const role: DatabaseRole =
      config.role === "primary"
        ? { kind: "primary" }
        : followsPrimary(config)
          ? {
              kind: "replica",
              source: {
                instanceArn: args.primary!.apply(
                  (p) => requirePrimarySection(p, "postgres").instanceArn,
                ),
              },
            }
          : { kind: "promoted" };
    const database = new MetadataDatabase(
      childName(name, "postgres"),
      {
        region: config.region,
        settings: s,
        role,
        network: args.platform.network,
        clientSecurityGroupIds: s.clientSecurityGroupIds ?? [config.edge.targetSecurityGroupId],
        protect: config.protect,
      },
      child,
    );
    const alarms = [
      ...rdsAlarms({
        name: "postgres",
        instanceId: database.identifier,
        allocatedStorageGiB: s.allocatedStorageGiB,
        maxConnections: postgresMaxConnections(s),
        replica: role.kind === "replica",
        thresholds: config.observability.thresholds,
      }),
      ...(database.replica
        ? rdsAlarms({
            name: "postgres-replica",
            instanceId: database.replicaIdentifier!,
            allocatedStorageGiB: s.allocatedStorageGiB,
            maxConnections: postgresMaxConnections(s),
            replica: true,
            thresholds: config.observability.thresholds,
          })
        : []),
    ];
    const outputs = (appCredentialsSecret?: pulumi.Output<string>) =>
      pulumi.output({
        region: config.region,
        instanceArn: database.arn,
        instanceIdentifier: database.identifier,
        endpoint: database.address,
        readerEndpoint: database.readerAddress,
        port: database.port,
        databaseName: s.databaseName,
        writable: database.writable,
        appCredentialsSecret,
      });
    const instances = [
      database.identifier,
      ...(database.replicaIdentifier ? [database.replicaIdentifier] : []),
    ];
    if (!database.writable) return { database, alarms, instances, outputs: outputs() };

    const access = new DatabaseAccess(
      childName(name, "postgres-access"),
      {
        region: config.region,
        settings: s,
        namespace: this.namespace,
        host: database.address,
        masterSecretArn: database.masterSecretArn,
        labels: { "app.kubernetes.io/part-of": "vega" },
      },
      child,
    );
    if (s.logicalBackup.enabled) {
      new LogicalBackup(
        childName(name, "postgres-backup"),
        {
          region: config.region,
          settings: s,
          namespace: this.namespace,
          cronJobName: config.observability.targets.logicalBackupCronJob,
          cluster: args.platform.cluster,
          vault: {
            bucketName: vault.bucketName,
            bucketArn: vault.bucketArn,
            kmsKeyArn: vault.kmsKeyArn,
          },
          credentialsSecret: access.secretNames[BACKUP_ROLE_KEY]!,
        },
        child,
      );
    }
    return { database, alarms, instances, outputs: outputs(access.secretNames[APP_ROLE_KEY]) };
  }
}
