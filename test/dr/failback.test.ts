/** `npm run dr -- failback` over in-memory ports: cleanup of the old primary region, journaled. */
import { describe, expect, it } from "vitest";
import { PRIMARY_TO_DR_RULE_ID } from "../../components/backup/replication";
import {
  failback,
  failbackRunbook,
  FAILBACK_STEPS,
  REPLICATION_METRICS,
} from "../../tools/dr/failback";
import { failover } from "../../tools/dr/failover";
import { replicationMetric } from "../../tools/dr/status";
import { readTopology } from "../../tools/dr/stacks";
import { DR_STACK, FakeWorld, PRIMARY_STACK } from "./fakes";

const pair = { primaryStack: PRIMARY_STACK, drStack: DR_STACK };

/** Failed over; the old region is back with the retained replication rule and its alarms. */
async function failedOverWorld(): Promise<FakeWorld> {
  const world = new FakeWorld().primaryDown();
  const { region, bucketName } = world.primary.backup;
  world.replication.set(`${region}/${bucketName}`, [
    { id: PRIMARY_TO_DR_RULE_ID, status: "Enabled" },
  ]);
  const topology = await readTopology(world.ports().stacks, pair);
  world.alarms.push(
    { region, name: "stale-failures", metric: replicationMetric(topology, REPLICATION_METRICS[0]) },
    { region, name: "stale-latency", metric: replicationMetric(topology, "ReplicationLatency") },
    {
      region,
      name: "unrelated",
      metric: { ...replicationMetric(topology, "ReplicationLatency"), dimensions: { RuleId: "x" } },
    },
  );
  expect(await failover(world.ports(), { ...pair, confirm: true, force: false })).toBe(0);
  world.endpointUp[world.primary.edge.healthCheckId] = true;
  return world;
}

describe("dr failback", () => {
  it("refuses without --confirm, and without a completed failover", async () => {
    const world = new FakeWorld();
    expect(await failback(world.ports(), { ...pair, confirm: false })).toBe(2);
    expect(await failback(world.ports(), { ...pair, confirm: true })).toBe(2);
    expect(world.mutations()).toEqual([]);
    expect(world.lines.join("\n")).toContain("no completed failover");
  });

  it("removes the stale rule and exactly the old link's alarms, in the old region, then prints the runbook", async () => {
    const world = await failedOverWorld();
    const before = world.mutations().length;
    expect(await failback(world.ports(), { ...pair, confirm: true })).toBe(0);
    const changes = world
      .mutations()
      .slice(before)
      .filter((c) => c.method !== "putJson");
    expect(changes.map((c) => [c.method, c.region])).toEqual([
      ["deleteReplication", world.primary.region],
      ["deleteAlarms", world.primary.region],
    ]);
    expect(world.alarms.map((a) => a.name)).toEqual(["unrelated"]);
    expect(world.replication.size).toBe(0);
    expect(world.lines.join("\n")).toContain(`primaryStack ${DR_STACK}`);
  });

  it("prints the runbook of the new DR stack following the promoted one, which the contract accepts as a leader", async () => {
    const world = await failedOverWorld();
    // the failover's up-dr ran with vega-ha:promoted true: the DR stack exports promoted
    expect(world.outputs[DR_STACK]!.promoted).toBe(true);
    expect(await failback(world.ports(), { ...pair, confirm: true })).toBe(0);
    const printed = world.lines.join("\n");
    expect(printed).toContain(
      `vega-ha:role dr, vega-ha:promoted false, vega-ha:primaryStack ${DR_STACK}`,
    );
    expect(printed).not.toContain("is not promoted");
    // the runbook read from a topology whose DR stack has not taken over says so first
    const topology = await readTopology(world.ports().stacks, pair);
    const stale = failbackRunbook({ ...topology, dr: { ...topology.dr, promoted: false } });
    expect(stale[0]).toContain(`first: ${DR_STACK} has role dr and is not promoted`);
  });

  it("status and failover read a promoted DR stack as the leader of the pair, never one still following", async () => {
    const world = new FakeWorld();
    const leader = { ...world.outputs[DR_STACK]!, promoted: true };
    world.outputs = { ...world.outputs, [PRIMARY_STACK]: leader };
    const topology = await readTopology(world.ports().stacks, pair);
    expect(topology.primary).toMatchObject({ role: "dr", promoted: true });
    world.outputs[PRIMARY_STACK] = { ...leader, promoted: false };
    await expect(readTopology(world.ports().stacks, pair)).rejects.toThrow(
      `stack ${PRIMARY_STACK} has role dr and is not promoted (contract field promoted: false)`,
    );
  });

  it("resumes after a failure and a rerun changes nothing", async () => {
    const world = await failedOverWorld();
    world.failNext("metrics.deleteAlarms");
    expect(await failback(world.ports(), { ...pair, confirm: true })).toBe(1);
    expect(await failback(world.ports(), { ...pair, confirm: true })).toBe(0);
    const deletes = () =>
      world
        .mutations()
        .filter((c) => c.method === "deleteReplication" || c.method === "deleteAlarms");
    expect(deletes().map((c) => c.method)).toEqual(["deleteReplication", "deleteAlarms"]);
    expect(await failback(world.ports(), { ...pair, confirm: true })).toBe(0);
    expect(deletes()).toHaveLength(2);
    expect(FAILBACK_STEPS.map((s) => s.name)).toEqual([
      "remove-stale-replication",
      "remove-stale-alarms",
    ]);
  });
});
