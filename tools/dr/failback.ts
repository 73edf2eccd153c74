/**
 * `npm run dr -- failback`: the first part of re-protecting after a failover, once the old
 * primary region answers again. Before anything writes there, remove what the failover left
 * behind in that region (retained on purpose so promotion never called it): the replication
 * configuration on the old primary bucket and the alarms on its replication metrics. Journaled
 * beside the failover; a rerun skips what is done. The rest (the old region as a new DR stack
 * following the promoted one, which the contract accepts as a leader) is the runbook
 * `failbackRunbook` prints, written out in tools/dr/README.md.
 */
import { leaderProblem } from "../../config/contract";
import { Journal, type FailoverJournal } from "./journal";
import { ConcurrentWriteError, type DrPorts } from "./ports";
import { replicationMetric } from "./status";
import { readTopology, Refusal, type StackPair, type Topology } from "./stacks";

export interface FailbackOptions extends StackPair {
  confirm: boolean;
}

/** The S3 replication metrics an alarm of the old link may watch (CloudWatch, source region). */
export const REPLICATION_METRICS = [
  "OperationsFailedReplication",
  "ReplicationLatency",
  "OperationsPendingReplication",
  "BytesPendingReplication",
] as const;

interface Step {
  name: string;
  run(ports: DrPorts, topology: Topology): Promise<string>;
}

export const FAILBACK_STEPS: Step[] = [
  {
    name: "remove-stale-replication",
    async run(ports, topology) {
      const { region, bucketName } = topology.primary.backup;
      const rules = await ports.objects.replicationRules(region, bucketName);
      if (rules.length === 0) return `no replication configuration on ${bucketName}`;
      await ports.objects.deleteReplication(region, bucketName);
      return `deleted the replication configuration on ${bucketName} (${region}): rules ${rules.map((r) => r.id).join(", ")}`;
    },
  },
  {
    name: "remove-stale-alarms",
    async run(ports, topology) {
      const names: string[] = [];
      for (const metric of REPLICATION_METRICS)
        names.push(...(await ports.metrics.alarmsOn(replicationMetric(topology, metric))));
      if (names.length === 0) return "no alarm on the old replication link";
      await ports.metrics.deleteAlarms(topology.primary.region, names);
      return `deleted alarms ${names.join(", ")} (${topology.primary.region})`;
    },
  },
];

/**
 * What re-protecting takes after the cleanup, in order: the old primary region as a new DR stack
 * following the promoted one. The contract reads in that direction (config/contract.ts
 * leaderProblem: a DR stack may follow a promoted DR stack, never one still following).
 */
export function failbackRunbook(topology: Topology): string[] {
  const old = topology.primary.region;
  const leader = leaderProblem(topology.dr);
  return [
    ...(leader
      ? [
          `first: ${topology.drStack} ${leader} (its outputs carry promoted: true once pulumi up --stack ${topology.drStack} ran with vega-ha:promoted true; the failover's up-dr step does that)`,
        ]
      : []),
    `create a stack for ${old} as DR of the promoted one: the old region's settings (network, cluster, zone: as in ${topology.primaryStack}'s file) with vega-ha:role dr, vega-ha:promoted false, vega-ha:primaryStack ${topology.drStack}; it reads ${topology.drStack}'s contract as its leader's (promoted: true)`,
    `names: the database identifier and search domain derive from vega-ha:environment and the region, and ${topology.primaryStack} still holds them in ${old}: retire ${topology.primaryStack} first (its data predates the cut-off; keep its vault, Object Lock), or give the new stack its own environment`,
    `DNS: the new stack declares a SECONDARY record like ${topology.drStack}; a failover pair is one PRIMARY and one SECONDARY, and per-stack record roles are not built: until then the new stack's record must be removed from its program by hand or its up fails at the record (see tools/dr/README.md)`,
    `pulumi up that stack: it replicates ${topology.dr.region} → ${old} (database replica of ${topology.drStack}'s writer, CCR from its domain, S3 replication from its vault); keep ${topology.primaryStack} stood down`,
    `check: npm run dr -- status --primary-stack ${topology.drStack} --dr-stack <the new stack>`,
    "moving traffic back is a planned failover in the other direction, not an emergency",
  ];
}

export async function failback(ports: DrPorts, options: FailbackOptions): Promise<number> {
  if (!options.confirm) {
    ports.log(
      "refusing without --confirm: run this once the old primary region answers again; it deletes the stale replication configuration and alarms there",
    );
    return 2;
  }
  try {
    const topology = await readTopology(ports.stacks, options);
    const journal = await Journal.open(ports.objects, topology);
    const state: FailoverJournal | undefined = journal.value;
    if (!state?.completedAt)
      throw new Refusal(
        `no completed failover in ${journal.location}: failback cleans up after one (run npm run dr -- failover first)`,
      );
    state.failback ??= { steps: {} };
    for (const step of FAILBACK_STEPS) {
      const done = state.failback.steps[step.name];
      if (done) {
        ports.log(`✓ ${step.name} (done at ${done.doneAt}): ${done.detail}`);
        continue;
      }
      const detail = await step.run(ports, topology);
      state.failback.steps[step.name] = { doneAt: ports.now().toISOString(), detail };
      await journal.write(state);
      ports.log(`✓ ${step.name}: ${detail}`);
    }
    state.failback.completedAt ??= ports.now().toISOString();
    await journal.write(state);
    ports.log(`${topology.primary.region} is clean. To re-protect:`);
    for (const [i, line] of failbackRunbook(topology).entries()) ports.log(`  ${i + 1}. ${line}`);
    return 0;
  } catch (err) {
    if (err instanceof Refusal) {
      ports.log(err.message);
      return 2;
    }
    if (err instanceof ConcurrentWriteError) {
      ports.log("the journal changed under this run: another operator is at work; run again");
      return 1;
    }
    ports.log(`failback stopped: ${(err as Error).message}; run again to resume`);
    return 1;
  }
}
