/** `npm run dr -- failover` over in-memory ports: refusals, order, journal, resume, idempotency. */
import { describe, expect, it } from "vitest";
import { healthCheckSwitches } from "../../components/edge/routing";
import { BACKUP_PREFIXES } from "../../components/backup/lifecycle";
import { journalLocation, type FailoverJournal } from "../../tools/dr/journal";
import {
  failover,
  FAILOVER_STEPS,
  PROMOTED_KEY,
  STAND_DOWN_KEY,
  type FailoverOptions,
} from "../../tools/dr/failover";
import { DR_STACK, FAKE_START, FakeWorld, PRIMARY_STACK } from "./fakes";

const options = (o: Partial<FailoverOptions> = {}): FailoverOptions => ({
  primaryStack: PRIMARY_STACK,
  drStack: DR_STACK,
  confirm: true,
  force: false,
  ...o,
});

const PG_DUMP_AT = new Date("2026-12-02T11:00:00Z");
const DELTA_AT = new Date("2026-12-02T11:40:00Z");

/** The primary is down; the DR vault holds a pg_dump and an OpenSearch delta. */
function downWorld(): FakeWorld {
  const world = new FakeWorld().primaryDown();
  const { region, bucketName } = world.dr.backup;
  world.putObject(
    region,
    bucketName,
    `${BACKUP_PREFIXES.metadataDaily.prefix}d.sql.gz`,
    PG_DUMP_AT,
  );
  world.putObject(region, bucketName, `${BACKUP_PREFIXES.opensearchDelta.prefix}s-1`, DELTA_AT);
  return world;
}

function journalOf(world: FakeWorld): FailoverJournal | undefined {
  const where = journalLocation({
    primaryStack: PRIMARY_STACK,
    drStack: DR_STACK,
    primary: world.primary,
    dr: world.dr,
  });
  const o = world.objects.get(`${where.region}/${where.bucket}/${where.key}`);
  return o && JSON.parse(o.body);
}

/** What the failover changed in the world, each kind of change with its count. */
const changes = (world: FakeWorld) =>
  world
    .mutations()
    .filter((c) => c.method !== "putJson")
    .map((c) => `${c.port}.${c.method} ${JSON.stringify(c.args)}`);

const STAND_DOWN = healthCheckSwitches({ standDown: true });

describe("failover refuses, changing nothing", () => {
  it("without --confirm, before any call", async () => {
    const world = downWorld();
    expect(await failover(world.ports(), options({ confirm: false }))).toBe(2);
    expect(world.calls).toEqual([]);
    expect(world.lines.join("\n")).toContain("--confirm");
  });

  it("while Route 53 sees the primary healthy", async () => {
    const world = new FakeWorld();
    expect(await failover(world.ports(), options())).toBe(2);
    expect(world.mutations()).toEqual([]);
    expect(world.lines.join("\n")).toMatch(/health check .* is healthy.*--force/);
  });

  it("while Route 53's control plane cannot say (us-east-1 down with the primary)", async () => {
    const world = downWorld();
    world.route53Reachable = false;
    expect(await failover(world.ports(), options())).toBe(2);
    expect(world.mutations()).toEqual([]);
    expect(world.lines.join("\n")).toContain("unreadable");
  });

  it("when a stack's outputs do not follow the contract", async () => {
    const world = downWorld();
    world.outputs[DR_STACK] = { role: "dr" };
    expect(await failover(world.ports(), options())).toBe(2);
    expect(world.mutations()).toEqual([]);
    expect(world.lines.join("\n")).toContain("deploy (pulumi up) the dr stack first");
  });
});

describe("a failover run", () => {
  it("records the cut-off first, then DNS, the held stand-down, promotion and up, in that order", async () => {
    const world = downWorld();
    expect(await failover(world.ports(), options())).toBe(0);
    expect(changes(world)).toEqual(expectedChanges(world));
    const lastCutOffRead = world.calls.map((c) => c.method).lastIndexOf("newestObject");
    const firstChange = world.calls.findIndex((c) => c.method === "setSwitches");
    expect(lastCutOffRead).toBeLessThan(firstChange);
    const journal = journalOf(world)!;
    expect(Object.keys(journal.steps)).toEqual(FAILOVER_STEPS.map((s) => s.name));
    expect(journal.completedAt).toBeDefined();
    expect(journal.forced).toBe(false);
  });

  it("the cut-off is each vault prefix's newest object, and users are told the earliest", async () => {
    const world = downWorld();
    await failover(world.ports(), options());
    const cutOff = journalOf(world)!.cutOff!;
    const at = (prefix: string) => cutOff.find((p) => p.store.endsWith(prefix))?.lastReplicatedAt;
    expect(at(BACKUP_PREFIXES.metadataDaily.prefix)).toBe(PG_DUMP_AT.toISOString());
    expect(at(BACKUP_PREFIXES.opensearchDelta.prefix)).toBe(DELTA_AT.toISOString());
    expect(at(BACKUP_PREFIXES.opensearchSnapshots.prefix)).toBeUndefined();
    expect(world.lines.join("\n")).toContain(`after ${PG_DUMP_AT.toISOString()} may be lost`);
  });

  it("the DR database's cut-off is now minus its ReplicaLag, read in the DR region", async () => {
    const world = downWorld();
    world.metricValues.set("ReplicaLag", { maximum: 42 });
    await failover(world.ports(), options());
    const db = journalOf(world)!.cutOff!.find((p) => p.store === "PostgreSQL DR replica")!;
    expect(db.how).toContain(`${world.dr.postgres!.instanceIdentifier}: ReplicaLag 42 s`);
    const read = world.calls.find((c) => c.method === "maximum")!;
    expect(read.region).toBe(world.dr.region);
    // the fake clock starts at FAKE_START and moves a second per reading
    const at = Date.parse(db.lastReplicatedAt!);
    expect(at).toBeLessThanOrEqual(FAKE_START.getTime() + 10_000 - 42_000);
    expect(at).toBeGreaterThanOrEqual(FAKE_START.getTime() - 42_000);
  });

  it("journals in the DR vault and never calls the primary region", async () => {
    const world = downWorld();
    await failover(world.ports(), options());
    const puts = world.calls.filter((c) => c.method === "putJson");
    expect(puts.length).toBeGreaterThan(FAILOVER_STEPS.length);
    for (const p of puts) {
      expect(p.region).toBe(world.dr.backup.region);
      expect(p.args[0]).toBe(world.dr.backup.bucketName);
    }
    expect(
      world.calls.filter((c) => c.region === world.primary.region && c.port !== "route53"),
    ).toEqual([]);
  });

  it("after it, Route 53 answers the DR record whether the old primary answers or not", async () => {
    const world = downWorld();
    await failover(world.ports(), options());
    expect(world.switches[world.primary.edge.healthCheckId]).toEqual(STAND_DOWN);
  });

  it("goes ahead with --force while the primary looks healthy, and journals that it was forced", async () => {
    const world = new FakeWorld();
    expect(await failover(world.ports(), options({ force: true }))).toBe(0);
    expect(journalOf(world)!.forced).toBe(true);
    expect(world.ups).toEqual([DR_STACK]);
  });

  it("a second run changes nothing", async () => {
    const world = downWorld();
    await failover(world.ports(), options());
    const before = world.mutations().length;
    expect(await failover(world.ports(), options())).toBe(0);
    expect(world.mutations().length).toBe(before);
    expect(world.lines.join("\n")).toContain("nothing to do");
  });
});

/** The port call that makes each step fail (and which of its calls). */
const FAILING_CALL: Record<string, [string, (args: unknown[]) => boolean]> = {
  "record-cut-off": ["objects.newestObject", () => true],
  "dns-stand-down": ["route53.setSwitches", () => true],
  "hold-stand-down-in-config": ["stacks.setConfig", (args) => args[1] === STAND_DOWN_KEY],
  "promote-in-config": ["stacks.setConfig", (args) => args[1] === PROMOTED_KEY],
  "up-dr": ["stacks.up", () => true],
};

/** The changes a whole failover makes, once each, in order. */
const expectedChanges = (world: FakeWorld) => [
  `route53.setSwitches ${JSON.stringify([world.primary.edge.healthCheckId, STAND_DOWN])}`,
  `stacks.setConfig ${JSON.stringify([PRIMARY_STACK, STAND_DOWN_KEY, "true"])}`,
  `stacks.setConfig ${JSON.stringify([DR_STACK, PROMOTED_KEY, "true"])}`,
  `stacks.up ${JSON.stringify([DR_STACK])}`,
];

describe("resume after a failure", () => {
  it("covers every step", () => {
    expect(Object.keys(FAILING_CALL)).toEqual(FAILOVER_STEPS.map((s) => s.name));
  });

  it.each(FAILOVER_STEPS.map((s, i) => [s.name, i] as const))(
    "at %s: stops there, journals the error, and the rerun does each change exactly once",
    async (name, index) => {
      const world = downWorld();
      world.failNext(...FAILING_CALL[name]!);
      expect(await failover(world.ports(), options())).toBe(1);
      const journal = journalOf(world)!;
      expect(journal.lastError?.step).toBe(name);
      expect(Object.keys(journal.steps)).toEqual(FAILOVER_STEPS.slice(0, index).map((s) => s.name));
      expect(journal.completedAt).toBeUndefined();
      expect(changes(world)).toEqual(expectedChanges(world).slice(0, Math.max(0, index - 1)));

      expect(await failover(world.ports(), options())).toBe(0);
      expect(world.lines.join("\n")).toContain("resuming");
      expect(changes(world)).toEqual(expectedChanges(world));
      expect(journalOf(world)!.lastError).toBeUndefined();
      expect(journalOf(world)!.completedAt).toBeDefined();
    },
  );

  it("a step done whose journal entry was lost is repeated without a second change", async () => {
    const world = downWorld();
    // the journal write right after the stand-down fails: the step is done, the journal says not
    let puts = 0;
    world.failNext("objects.putJson", () => ++puts === 3);
    expect(await failover(world.ports(), options())).toBe(1);
    expect(await failover(world.ports(), options())).toBe(0);
    expect(changes(world)).toEqual(expectedChanges(world));
  });

  it("another operator's write in between: this run stops, the journal is not overwritten", async () => {
    const world = downWorld();
    const ports = world.ports();
    const where = journalLocation({
      primaryStack: PRIMARY_STACK,
      drStack: DR_STACK,
      primary: world.primary,
      dr: world.dr,
    });
    // the other operator's journal appears after this run read "none"
    const realGet = ports.objects.getJson;
    ports.objects.getJson = async <T>(region: string, bucket: string, key: string) => {
      const read = await realGet<T>(region, bucket, key);
      world.putObject(where.region, where.bucket, where.key, new Date(), '{"steps":{}}');
      return read;
    };
    expect(await failover(ports, options())).toBe(1);
    expect(world.lines.join("\n")).toContain("another operator");
    expect(changes(world)).toEqual([]);
  });
});
