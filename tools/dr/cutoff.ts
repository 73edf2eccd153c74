/**
 * The data cut-off: the last point of each store that reached the DR region, read in the DR
 * region only (the primary may be gone). Recorded before a failover changes anything and told to
 * users (seed 16.3 region_failover step 4). A store's source is one entry of `cutOffSources`.
 */
import { BACKUP_PREFIXES } from "../../components/backup/lifecycle";
import type { CutOffPoint } from "./journal";
import type { DrPorts, MetricRef } from "./ports";
import type { Topology } from "./stacks";

export interface CutOffSource {
  store: string;
  read(ports: DrPorts, topology: Topology): Promise<CutOffPoint>;
}

/**
 * Each backup prefix of the DR vault: its newest object is the newest backup of that kind the
 * DR region can restore (S3 replication copies into the vault; nothing else writes there).
 */
const vaultPrefixSources: CutOffSource[] = Object.values(BACKUP_PREFIXES).map(({ prefix }) => ({
  store: `DR vault ${prefix}`,
  async read(ports, topology) {
    const { region, bucketName } = topology.dr.backup;
    const newest = await ports.objects.newestObject(region, bucketName, [prefix]);
    return {
      store: `DR vault ${prefix}`,
      lastReplicatedAt: newest?.lastModified.toISOString(),
      how: newest
        ? `newest object s3://${bucketName}/${newest.key}`
        : `no object under s3://${bucketName}/${prefix}`,
    };
  },
}));

/** The DR database replica's ReplicaLag (CloudWatch, DR region). */
export function drReplicaLagMetric(topology: Topology, identifier: string): MetricRef {
  return {
    region: topology.dr.region,
    namespace: "AWS/RDS",
    metricName: "ReplicaLag",
    dimensions: { DBInstanceIdentifier: identifier },
  };
}

/**
 * The DR database replica: the primary's data up to now minus its ReplicaLag (CloudWatch, in the
 * DR region), read before promotion stops replication.
 */
const postgresReplicaSource: CutOffSource = {
  store: "PostgreSQL DR replica",
  async read(ports, topology) {
    const db = topology.dr.postgres;
    if (!db) return { store: this.store, how: "no database in the DR stack's outputs" };
    const lag = await ports.metrics.maximum(
      drReplicaLagMetric(topology, db.instanceIdentifier),
      300,
    );
    if (lag === undefined)
      return { store: this.store, how: `no ReplicaLag data for ${db.instanceIdentifier}` };
    return {
      store: this.store,
      lastReplicatedAt: new Date(ports.now().getTime() - lag * 1000).toISOString(),
      how: `${db.instanceIdentifier}: ReplicaLag ${lag} s (worst of the last 5 min)`,
    };
  },
};

export function cutOffSources(): CutOffSource[] {
  return [postgresReplicaSource, ...vaultPrefixSources];
}

/** The earliest cut-off over the stores that hold data: what users are told they may have lost after. */
export function earliestCutOff(points: CutOffPoint[]): string | undefined {
  return points
    .map((p) => p.lastReplicatedAt)
    .filter((t): t is string => t !== undefined)
    .sort()[0];
}
