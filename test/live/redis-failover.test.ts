/**
 * Live failover drill: Debian's redis-server and redis-sentinel run the rendered redis.conf,
 * sentinel.conf and vega-redis.sh on loopback ports. With CI=true a missing program fails the
 * suite; elsewhere the drill is skipped, and says why.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFailoverDrill, startGroup, type DrillReport } from "../../tools/redis-drill/drill";
import { missingPrograms } from "../../tools/redis-drill/engines";
import { LocalRedisGroup } from "../../tools/redis-drill/local-group";

const missing = missingPrograms();
const skip = missing.length > 0 && process.env.CI !== "true";
const title = skip ? `redis failover drill (SKIPPED: ${missing.join(", ")} not on PATH; apt-get install redis-server redis-sentinel)` : "redis failover drill";

describe.skipIf(skip)(title, () => {
  let report: DrillReport;
  beforeAll(async () => {
    expect(missing, "programs the drill needs").toEqual([]);
    report = await runFailoverDrill();
    console.info(`redis drill: failover ${Math.round(report.failover.failoverMs)} ms (down-after ${report.downAfterMs} ms), ` +
      `restart-at-once ${Math.round(report.handover.writesResumedMs)} ms, ${report.acked} acknowledged writes, ${report.lost} lost`);
  }, 120_000);

  it("refuses clients without the password, on nodes and on Sentinels", () => {
    expect(report.auth.node).toMatch(/^NOAUTH/);
    expect(report.auth.sentinel).toMatch(/^NOAUTH/);
  });

  it("SIGKILL of the master: a replica is promoted and no acknowledged write is missing on it", () => {
    expect(report.failover.toNode).not.toBe(report.failover.fromNode);
    expect(report.failover.acked).toBeGreaterThan(0);
    expect(report.failover.missing).toEqual([]);
  });

  it("the old master, restarted by vega-redis.sh, comes back only ever as a replica of the new master", () => {
    const r = report.rejoin;
    expect(r.roles).toEqual(["slave"]);
    expect(r.replicatesFrom).toBe(r.master);
    expect(r.replicaofLine).toBe(`replicaof ${r.master.replace(":", " ")}`);
    expect(r.readyProbe).toBe(0);
    expect(r.missing).toBe(0);
  });

  it("with every replica stopped the master refuses writes (NOREPLICAS), and accepts them once one is back", () => {
    const m = report.minReplicas;
    expect(m.stopped).toHaveLength(2);
    expect(m.refusal).toMatch(/^NOREPLICAS/);
    expect(m.stoppedReadyProbe).not.toBe(0);
    expect(m.recoveredMs).toBeGreaterThan(0);
  });

  it("a master restarted before any Sentinel noticed hands over instead of resuming as master", () => {
    const h = report.handover;
    expect(h.roles).toEqual(["slave"]);
    expect(h.toNode).not.toBe(h.node);
    expect(h.missing).toEqual([]);
  });

  it("loses no acknowledged write over the whole drill and leaves no process behind", () => {
    expect(report.acked).toBeGreaterThan(0);
    expect(report.lost).toBe(0);
    expect(report.leftoverProcesses).toEqual([]);
  });
});

describe.skipIf(skip)("local redis group cleanup", () => {
  let group: LocalRedisGroup | undefined;
  afterAll(async () => {
    await group?.stop();
  });

  it("stop() ends every process it started, the scripts' children included, even after a failure", async () => {
    group = await LocalRedisGroup.create();
    const failing = async () => {
      try {
        await startGroup(group!);
        throw new Error("a drill step failed");
      } finally {
        await group!.stop();
      }
    };
    await expect(failing()).rejects.toThrow("a drill step failed");
    expect(group.runningPids()).toEqual([]);
    expect(group.leftoverProcesses()).toEqual([]);
  }, 60_000);
});
