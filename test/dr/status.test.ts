/** `npm run dr -- status` over in-memory ports: every check, and the exit code. */
import { describe, expect, it } from "vitest";
import { PRIMARY_TO_DR_RULE_ID } from "../../components/backup/replication";
import { REPLICATION_TIME_MINUTES } from "../../components/backup/replication";
import { BACKUP_FRESHNESS, backendRisk, status } from "../../tools/dr/status";
import { failover } from "../../tools/dr/failover";
import { DR_STACK, FAKE_START, FakeWorld, PRIMARY_STACK } from "./fakes";

const NOW = FAKE_START;

const pair = { primaryStack: PRIMARY_STACK, drStack: DR_STACK };

/** A world where everything is ready: both regions up, replication enabled and quick. */
function readyWorld(): FakeWorld {
  const world = new FakeWorld();
  world.replication.set(`${world.primary.backup.region}/${world.primary.backup.bucketName}`, [
    { id: PRIMARY_TO_DR_RULE_ID, status: "Enabled" },
  ]);
  world.metricValues.set("ReplicationLatency", { maximum: 42 });
  world.metricValues.set("OperationsFailedReplication", { sum: 0 });
  world.metricValues.set("ReplicaLag", { maximum: 3 });
  // fresh backups in the DR vault: each a minute old
  const { region, bucketName } = world.dr.backup;
  for (const f of BACKUP_FRESHNESS)
    world.putObject(region, bucketName, `${f.prefix}latest`, new Date(NOW.getTime() - 60_000));
  return world;
}

const missedLines = (world: FakeWorld) => world.lines.filter((l) => l.includes("MISSED"));

describe("dr status", () => {
  it("ready: every check ok, exit 0, and it changes nothing", async () => {
    const world = readyWorld();
    expect(await status(world.ports(), pair)).toBe(0);
    expect(missedLines(world)).toEqual([]);
    expect(world.mutations()).toEqual([]);
    expect(world.lines.at(-1)).toBe("ready");
  });

  it.each([
    [
      "the DR stack's state in the primary region",
      (w: FakeWorld) => {
        w.backends[DR_STACK] = `s3://state?region=${w.primary.region}`;
      },
      /state of .*dr.*the region that would be down/,
    ],
    [
      "the DR stack's state on one machine",
      (w: FakeWorld) => {
        w.backends[DR_STACK] = "file:///home/ops/.pulumi";
      },
      /one machine's disk/,
    ],
    [
      "an unhealthy DR record",
      (w: FakeWorld) => {
        w.endpointUp[w.dr.edge.healthCheckId] = false;
      },
      /health check of the DR record.*unhealthy/,
    ],
    [
      "replication latency over RTC's 15 min",
      (w: FakeWorld) => {
        w.metricValues.set("ReplicationLatency", { maximum: 16 * 60 });
      },
      /replication latency.*16 min/,
    ],
    [
      "no latency data",
      (w: FakeWorld) => {
        w.metricValues.delete("ReplicationLatency");
      },
      /replication latency.*no data/,
    ],
    [
      "failed replications",
      (w: FakeWorld) => {
        w.metricValues.set("OperationsFailedReplication", { sum: 3 });
      },
      /failed to replicate.*: 3/,
    ],
    [
      "an hourly delta older than its RPO plus the replication time",
      (w: FakeWorld) => {
        const delta = BACKUP_FRESHNESS.find((f) => f.target.rpoSeconds === 3600)!;
        const limit = delta.target.rpoSeconds + REPLICATION_TIME_MINUTES * 60;
        const stale = new Date(NOW.getTime() - (limit + 120) * 1000);
        w.putObject(w.dr.backup.region, w.dr.backup.bucketName, `${delta.prefix}latest`, stale);
      },
      /newest backup under opensearch\/delta\/ .*old/,
    ],
    [
      "the DR database replica more than an hour behind",
      (w: FakeWorld) => {
        w.metricValues.set("ReplicaLag", { maximum: 3601 });
      },
      /PostgreSQL DR replica .* lag.*: 3601 s/,
    ],
    [
      "the replication rule gone",
      (w: FakeWorld) => {
        w.replication.clear();
      },
      /replication rule .*absent/,
    ],
  ])("%s: one check missed, exit 1", async (_name, breakIt, line) => {
    const world = readyWorld();
    breakIt(world);
    expect(await status(world.ports(), pair)).toBe(1);
    expect(missedLines(world)).toHaveLength(1);
    expect(missedLines(world)[0]).toMatch(line);
  });

  it("the primary's state in the primary region is reported, not missed (only DR must deploy then)", async () => {
    const world = readyWorld();
    world.backends[PRIMARY_STACK] = `s3://state?region=${world.primary.region}`;
    expect(await status(world.ports(), pair)).toBe(0);
  });

  it("after a failover: the primary stood down and the journal say so", async () => {
    const world = readyWorld().primaryDown();
    await failover(world.ports(), { ...pair, confirm: true, force: false });
    world.lines.length = 0;
    expect(await status(world.ports(), pair)).toBe(1);
    expect(world.lines.join("\n")).toMatch(/failover journal: failed over at/);
  });
});

describe("backendRisk", () => {
  it("judges the backend URL against the failed region", () => {
    expect(backendRisk("https://api.pulumi.com", "us-east-1")).toBeUndefined();
    expect(backendRisk("s3://b?region=us-west-2", "us-east-1")).toBeUndefined();
    expect(backendRisk("s3://b?region=us-east-1", "us-east-1")).toContain("would be down");
    expect(backendRisk("s3://b", "us-east-1", "us-east-1")).toContain("would be down");
    expect(backendRisk("s3://b", "us-east-1")).toContain("unknown region");
    expect(backendRisk("file:///x", "us-east-1")).toContain("one machine");
  });
});
