/**
 * `npm run dr -- failover`: seed 16.3 region_failover as a command that resumes. Every step is
 * journaled in the DR vault before the next starts; a rerun skips what is done, a run after
 * completion changes nothing. Steps (each idempotent, so a step whose journal write failed can
 * run again): record the data cut-off, stand the primary's DNS down (Route 53 control plane),
 * hold the stand-down in the primary's config, set `promoted: true` on the DR stack, `pulumi up`
 * the DR stack with the policy pack. None calls the primary region.
 */
import { healthCheckSwitches } from "../../components/edge/routing";
import { cutOffSources, earliestCutOff } from "./cutoff";
import { Journal, type FailoverJournal } from "./journal";
import { ConcurrentWriteError, type DrPorts } from "./ports";
import { readTopology, Refusal, type StackPair, type Topology } from "./stacks";

/** Config keys the failover sets (the same keys an operator would commit by hand). */
export const STAND_DOWN_KEY = "vega-ha:edge.dns.standDown";
export const PROMOTED_KEY = "vega-ha:promoted";

export interface FailoverOptions extends StackPair {
  /** `--confirm`: the operator has confirmed the primary region is not coming back (seed 16.3 step 1). */
  confirm: boolean;
  /** `--force`: go ahead although the primary's health checks are healthy or unreadable. */
  force: boolean;
}

interface Step {
  name: string;
  /** Does the step; returns what it did, for the journal. Safe to repeat. */
  run(ports: DrPorts, topology: Topology, journal: FailoverJournal): Promise<string>;
}

export const FAILOVER_STEPS: Step[] = [
  {
    name: "record-cut-off",
    async run(ports, topology, journal) {
      const points = [];
      for (const source of cutOffSources()) points.push(await source.read(ports, topology));
      journal.cutOff = points;
      return `data cut-off: ${earliestCutOff(points) ?? "no replicated data"}`;
    },
  },
  {
    name: "dns-stand-down",
    async run(ports, topology) {
      const id = topology.primary.edge.healthCheckId;
      const wanted = healthCheckSwitches({ standDown: true });
      const now = await ports.route53.switches(id);
      if (now.disabled === wanted.disabled && now.invertHealthcheck === wanted.invertHealthcheck)
        return `health check ${id} was already disabled + inverted`;
      await ports.route53.setSwitches(id, wanted);
      return `health check ${id} set disabled + inverted (Route 53 control plane, us-east-1)`;
    },
  },
  {
    name: "hold-stand-down-in-config",
    async run(ports, topology) {
      await ports.stacks.setConfig(topology.primaryStack, STAND_DOWN_KEY, "true");
      return `${STAND_DOWN_KEY}: true in ${topology.primaryStack}'s settings (no later up releases it)`;
    },
  },
  {
    name: "promote-in-config",
    async run(ports, topology) {
      await ports.stacks.setConfig(topology.drStack, PROMOTED_KEY, "true");
      return `${PROMOTED_KEY}: true in ${topology.drStack}'s settings`;
    },
  },
  {
    name: "up-dr",
    async run(ports, topology) {
      await ports.stacks.up(topology.drStack);
      return `pulumi up ${topology.drStack} with the policy pack`;
    },
  },
];

/** What is left to do by hand once the command is done. */
export function stepsLeft(topology: Topology, journal: FailoverJournal): string[] {
  const cutOff = earliestCutOff(journal.cutOff ?? []);
  return [
    `tell users the data cut-off: data written in ${topology.primary.region} after ${cutOff ?? "(no replicated backup found)"} may be lost (seed 16.3 step 4)`,
    `commit the stack settings the command changed: ${STAND_DOWN_KEY}: true (${topology.primaryStack}), ${PROMOTED_KEY}: true (${topology.drStack})`,
    `when ${topology.primary.region} is back: npm run dr -- failback --confirm (removes the stale replication rule and alarms there), then re-protect (tools/dr/README.md)`,
  ];
}

function printOutcome(ports: DrPorts, topology: Topology, journal: FailoverJournal): void {
  ports.log("data cut-off (last replicated point per store):");
  for (const p of journal.cutOff ?? [])
    ports.log(`  ${p.store}: ${p.lastReplicatedAt ?? "none"} (${p.how})`);
  ports.log("steps left:");
  for (const [i, line] of stepsLeft(topology, journal).entries()) ports.log(`  ${i + 1}. ${line}`);
}

/**
 * Refuses to start while Route 53 sees the primary healthy, or cannot say (its control plane is
 * in us-east-1, which may be the failed region), unless forced.
 */
async function checkPrimaryDown(ports: DrPorts, topology: Topology, force: boolean): Promise<void> {
  const id = topology.primary.edge.healthCheckId;
  let status: string;
  try {
    status = await ports.route53.healthCheckStatus(id);
  } catch (err) {
    status = `unreadable (${(err as Error).message})`;
  }
  if (status === "unhealthy") return;
  if (force) {
    ports.log(`the primary's health check ${id} is ${status}: going ahead (--force)`);
    return;
  }
  throw new Refusal(
    `refusing to fail over: the primary's health check ${id} is ${status}. Route 53 still sends clients to ${topology.primary.region}; if you have confirmed it is not coming back, run again with --force`,
  );
}

/**
 * Runs (or resumes) the failover; returns the exit code: 0 done (or nothing to do), 1 a step
 * failed (rerun to resume), 2 refused (nothing changed).
 */
export async function failover(ports: DrPorts, options: FailoverOptions): Promise<number> {
  try {
    return await runFailover(ports, options);
  } catch (err) {
    if (err instanceof Refusal) {
      ports.log(err.message);
      return 2;
    }
    if (err instanceof ConcurrentWriteError) {
      ports.log(
        "the journal changed under this run: another operator is running this failover. Nothing more was done here; run again to resume from the journal",
      );
      return 1;
    }
    throw err;
  }
}

async function runFailover(ports: DrPorts, options: FailoverOptions): Promise<number> {
  if (!options.confirm) {
    ports.log(
      "refusing to fail over without --confirm: confirm first that the primary region is not coming back within the RTO (seed 16.3 step 1), then run: npm run dr -- failover --confirm",
    );
    return 2;
  }
  const topology = await readTopology(ports.stacks, options);
  const journal = await Journal.open(ports.objects, topology);
  ports.log(`journal: ${journal.location}`);
  const existing = journal.value;
  if (existing?.completedAt) {
    ports.log(`failover already completed at ${existing.completedAt}: nothing to do`);
    printOutcome(ports, topology, existing);
    return 0;
  }
  if (existing) ports.log(`resuming the failover started at ${existing.startedAt}`);
  // Once a step has changed something, the primary's health no longer decides: the operator
  // decided, and the stand-down itself makes the check unhealthy.
  if (!existing || Object.keys(existing.steps).length === 0)
    await checkPrimaryDown(ports, topology, options.force);

  const state: FailoverJournal = existing ?? {
    journalVersion: 1,
    primaryStack: topology.primaryStack,
    drStack: topology.drStack,
    startedAt: ports.now().toISOString(),
    forced: options.force,
    steps: {},
  };
  if (!existing) await journal.write(state);

  for (const step of FAILOVER_STEPS) {
    const done = state.steps[step.name];
    if (done) {
      ports.log(`✓ ${step.name} (done at ${done.doneAt}): ${done.detail}`);
      continue;
    }
    ports.log(`→ ${step.name}`);
    try {
      const detail = await step.run(ports, topology, state);
      state.steps[step.name] = { doneAt: ports.now().toISOString(), detail };
      delete state.lastError;
      await journal.write(state);
      ports.log(`✓ ${step.name}: ${detail}`);
    } catch (err) {
      if (err instanceof ConcurrentWriteError) throw err;
      const message = (err as Error).message;
      state.lastError = { step: step.name, at: ports.now().toISOString(), message };
      await journal.write(state).catch(() => undefined); // reported below either way
      ports.log(`✗ ${step.name} failed: ${message}`);
      ports.log(
        "nothing after it was done; run the same command again to resume (a step whose journal entry was not written is repeated, safely)",
      );
      return 1;
    }
  }
  state.completedAt = ports.now().toISOString();
  await journal.write(state);
  ports.log(`failover to ${topology.dr.region} complete`);
  printOutcome(ports, topology, state);
  return 0;
}
