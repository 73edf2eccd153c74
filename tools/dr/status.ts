/**
 * `npm run dr -- status`: readiness against the recovery objectives, from both stacks' outputs
 * (state backend) and live figures (Route 53, CloudWatch, the DR vault). Exit 1 when any check
 * is missed. A DR stack whose state backend lives in the primary region is not DR: it cannot be
 * `pulumi up`-ed with that region down, so that is a missed check, not a footnote.
 */
import {
  PRIMARY_TO_DR_RULE_ID,
  REPLICATION_TIME_MINUTES,
} from "../../components/backup/replication";
import { formatSeconds } from "../../components/core/objectives";
import { BACKUP_PREFIXES } from "../../components/backup/lifecycle";
import { SEED_BACKUP_OBJECTIVES, SEED_RECOVERY_PROCEDURES } from "../../config/objectives";
import { drReplicaLagMetric } from "./cutoff";
import { Journal } from "./journal";
import type { DrPorts, MetricRef } from "./ports";
import { readTopology, Refusal, type StackPair, type Topology } from "./stacks";

export interface Check {
  what: string;
  value: string;
  target: string;
  ok: boolean;
}

/**
 * Why a stack's state could be unreachable with `failedRegion` down, or undefined when it would
 * not. `bucketRegion` is the S3 backend bucket's region when the URL does not say.
 */
export function backendRisk(
  url: string,
  failedRegion: string,
  bucketRegion?: string,
): string | undefined {
  if (url.startsWith("file://"))
    return "state on one machine's disk: another operator cannot run this stack";
  if (url.startsWith("s3://")) {
    const region = new URL(url).searchParams.get("region") ?? bucketRegion;
    if (region === undefined) return "S3 backend in an unknown region";
    if (region === failedRegion) return `S3 backend in ${region}, the region that would be down`;
  }
  return undefined;
}

/** The S3 replication metrics of the primary→DR rule (published in the source's region). */
export function replicationMetric(topology: Topology, metricName: string): MetricRef {
  return {
    region: topology.primary.backup.region,
    namespace: "AWS/S3",
    metricName,
    dimensions: {
      SourceBucket: topology.primary.backup.bucketName,
      DestinationBucket: topology.dr.backup.bucketName,
      RuleId: PRIMARY_TO_DR_RULE_ID,
    },
  };
}

const HOUR = 3600;

/** A metric read in seconds, as the report shows it. */
const secondsRead = (v: number | undefined | Error) =>
  v instanceof Error
    ? `unreadable: ${v.message}`
    : v === undefined
      ? "no data"
      : formatSeconds(Math.round(v));

async function settle<T>(read: () => Promise<T>): Promise<T | Error> {
  try {
    return await read();
  } catch (err) {
    return err as Error;
  }
}

/**
 * Backups whose newest copy in the DR vault must be fresh: the seed's RPO for that backup plus
 * the replication time (RTC), judged only for stores the contract says are deployed. A store
 * adds its entry here (PostgreSQL: metadata/daily/ against the pg_dump row).
 */
export const BACKUP_FRESHNESS: {
  prefix: string;
  target: { source: string; rpoSeconds: number };
  deployed: (topology: Topology) => boolean;
}[] = [
  {
    prefix: BACKUP_PREFIXES.metadataDaily.prefix,
    target: SEED_BACKUP_OBJECTIVES.metadataPgDump,
    deployed: (t) => t.primary.postgres !== undefined,
  },
  {
    prefix: BACKUP_PREFIXES.opensearchSnapshots.prefix,
    target: SEED_BACKUP_OBJECTIVES.openSearchSnapshot,
    deployed: (t) => t.primary.opensearch !== undefined,
  },
  {
    prefix: BACKUP_PREFIXES.opensearchDelta.prefix,
    target: SEED_BACKUP_OBJECTIVES.openSearchDelta,
    deployed: (t) => t.primary.opensearch !== undefined,
  },
];

async function freshnessChecks(ports: DrPorts, topology: Topology): Promise<Check[]> {
  const { region, bucketName } = topology.dr.backup;
  const checks: Check[] = [];
  for (const f of BACKUP_FRESHNESS.filter((x) => x.deployed(topology))) {
    const limit = f.target.rpoSeconds + REPLICATION_TIME_MINUTES * 60;
    const newest = await settle(() => ports.objects.newestObject(region, bucketName, [f.prefix]));
    const age =
      newest instanceof Error || newest === undefined
        ? undefined
        : Math.round((ports.now().getTime() - newest.lastModified.getTime()) / 1000);
    checks.push({
      what: `newest backup under ${f.prefix} in the DR vault`,
      value:
        newest instanceof Error
          ? `unreadable: ${newest.message}`
          : newest === undefined
            ? "none"
            : `${newest.key}, ${formatSeconds(age!)} old`,
      target: `≤ ${formatSeconds(limit)} old (${f.target.source} RPO + ${REPLICATION_TIME_MINUTES} min replication)`,
      ok: age !== undefined && age <= limit,
    });
  }
  return checks;
}

export async function readinessChecks(ports: DrPorts, topology: Topology): Promise<Check[]> {
  const checks: Check[] = [];
  const rpoTarget = SEED_RECOVERY_PROCEDURES.regionFailover.rpoSeconds;

  for (const [stack, role] of [
    [topology.primaryStack, "primary"],
    [topology.drStack, "dr"],
  ] as const) {
    const url = await ports.stacks.backendUrl(stack);
    const risk = backendRisk(url, topology.primary.region);
    checks.push({
      what: `state of ${stack} (${role})`,
      value: risk ? `${url}: ${risk}` : url,
      target: `reachable with ${topology.primary.region} down`,
      // Only the DR stack must be deployable during a regional outage.
      ok: role === "primary" || risk === undefined,
    });
  }

  for (const [name, outputs] of [
    ["primary", topology.primary],
    ["DR", topology.dr],
  ] as const) {
    const status = await settle(() => ports.route53.healthCheckStatus(outputs.edge.healthCheckId));
    checks.push({
      what: `Route 53 health check of the ${name} record (${outputs.edge.healthCheckId})`,
      value: status instanceof Error ? `unreadable: ${status.message}` : status,
      target: "healthy",
      ok: status === "healthy",
    });
  }

  const rules = await settle(() =>
    ports.objects.replicationRules(
      topology.primary.backup.region,
      topology.primary.backup.bucketName,
    ),
  );
  const rule =
    rules instanceof Error ? undefined : rules.find((r) => r.id === PRIMARY_TO_DR_RULE_ID);
  checks.push({
    what: `replication rule ${PRIMARY_TO_DR_RULE_ID} on ${topology.primary.backup.bucketName}`,
    value: rules instanceof Error ? `unreadable: ${rules.message}` : (rule?.status ?? "absent"),
    target: "Enabled",
    ok: rule?.status === "Enabled",
  });

  const latency = await settle(() =>
    ports.metrics.maximum(replicationMetric(topology, "ReplicationLatency"), HOUR),
  );
  checks.push({
    what: "S3 replication latency, worst of the last hour",
    value: secondsRead(latency),
    target: `≤ ${REPLICATION_TIME_MINUTES} min (RTC) and ≤ ${formatSeconds(rpoTarget)} (seed 16.3 region_failover RPO)`,
    ok:
      typeof latency === "number" && latency <= Math.min(REPLICATION_TIME_MINUTES * 60, rpoTarget),
  });

  const failed = await settle(() =>
    ports.metrics.sum(replicationMetric(topology, "OperationsFailedReplication"), HOUR),
  );
  checks.push({
    what: "S3 objects that failed to replicate, last hour",
    value: failed instanceof Error ? `unreadable: ${failed.message}` : String(failed ?? 0),
    target: "0",
    ok: !(failed instanceof Error) && (failed ?? 0) === 0,
  });

  const db = topology.dr.postgres;
  if (db) {
    const lag = await settle(() =>
      ports.metrics.maximum(drReplicaLagMetric(topology, db.instanceIdentifier), HOUR),
    );
    checks.push({
      what: `PostgreSQL DR replica ${db.instanceIdentifier} lag, worst of the last hour`,
      value: secondsRead(lag),
      target: `≤ ${formatSeconds(rpoTarget)} (seed 16.3 region_failover RPO)`,
      ok: typeof lag === "number" && lag <= rpoTarget,
    });
  }

  checks.push(...(await freshnessChecks(ports, topology)));

  const journal = await settle(() => Journal.open(ports.objects, topology));
  const state = journal instanceof Error ? undefined : journal.value;
  checks.push({
    what: "failover journal",
    value:
      journal instanceof Error
        ? `unreadable: ${journal.message}`
        : !state
          ? "none"
          : state.completedAt
            ? `failed over at ${state.completedAt}`
            : `failover in progress since ${state.startedAt}: resume with npm run dr -- failover --confirm`,
    target: "no failover in progress",
    ok: !(journal instanceof Error) && (!state || state.completedAt !== undefined),
  });
  return checks;
}

/** Prints the readiness report; returns the exit code (1 when any check is missed). */
export async function status(ports: DrPorts, pair: StackPair): Promise<number> {
  let topology: Topology;
  try {
    topology = await readTopology(ports.stacks, pair);
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    ports.log(err.message);
    return 2;
  }
  const checks = await readinessChecks(ports, topology);
  ports.log(
    `DR readiness: ${topology.primaryStack} (${topology.primary.region}) → ${topology.drStack} (${topology.dr.region})`,
  );
  for (const c of checks)
    ports.log(`  ${c.ok ? "ok    " : "MISSED"} ${c.what}: ${c.value} (target: ${c.target})`);
  const missed = checks.filter((c) => !c.ok).length;
  ports.log(missed === 0 ? "ready" : `${missed} check(s) missed`);
  return missed === 0 ? 0 : 1;
}
