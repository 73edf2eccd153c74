/**
 * Live failover drill: Debian's redis-server and redis-sentinel run the rendered redis.conf,
 * sentinel.conf and vega-redis.sh on loopback ports. With CI=true a missing program fails the
 * suite; elsewhere the drill is skipped, and says why.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisSchema } from "../../config";
import { renderPodFiles } from "../../components/redis";
import { runFailoverDrill, startGroup, type DrillReport } from "../../tools/redis-drill/drill";
import { missingPrograms } from "../../tools/redis-drill/engines";
import { freePorts, LocalRedisGroup, waitFor } from "../../tools/redis-drill/local-group";
import { engineSuite } from "../harness/engines";
import Redis from "ioredis";

const missing = missingPrograms();
const { skip, title } = engineSuite(
  "redis failover drill",
  missing,
  "apt-get install redis-server redis-sentinel",
);

describe.skipIf(skip)(title, () => {
  let report: DrillReport;
  beforeAll(async () => {
    expect(missing, "programs the drill needs").toEqual([]);
    report = await runFailoverDrill();
    console.info(
      `redis drill: failover ${Math.round(report.failover.failoverMs)} ms (down-after ${report.downAfterMs} ms), ` +
        `restart-at-once ${Math.round(report.handover.writesResumedMs)} ms, ${report.acked} acknowledged writes, ${report.lost} lost`,
    );
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

describe.skipIf(skip)("the pods' redis.conf", () => {
  it("loads in redis-server 7.0 as rendered for the cluster (only dir, port and bind changed for this machine)", async () => {
    const settings = redisSchema.parse({});
    const dir = mkdtempSync(path.join(tmpdir(), "vega-redis-conf-"));
    const file = path.join(dir, "redis.conf");
    // Redis changes into `dir` as it reads the line, so the pod's /data must become a local directory.
    const rendered = renderPodFiles("vega-redis", "vega", settings)["redis.conf"]!;
    expect(rendered).toMatch(/^dir \/data$/m);
    writeFileSync(file, rendered.replace(/^dir \/data$/m, `dir ${dir}`));
    const [port] = await freePorts(1);
    const server = spawn("redis-server", [file, "--port", String(port), "--bind", "127.0.0.1"], {
      detached: true,
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => server.once("exit", resolve));
    const client = new Redis({
      port,
      lazyConnect: true,
      retryStrategy: () => 50,
      maxRetriesPerRequest: 0,
    });
    client.on("error", () => undefined);
    try {
      await waitFor("redis-server to answer", 10_000, async () =>
        (await client.ping()) === "PONG" ? true : undefined,
      );
      const get = async (key: string) => ((await client.config("GET", key)) as string[])[1];
      expect(await get("maxmemory")).toBe(String(settings.memory.maxmemoryMb * 1024 * 1024));
      expect(await get("maxmemory-policy")).toBe(settings.memory.policy);
      expect(await get("min-replicas-to-write")).toBe(
        String(settings.replication.minReplicasToWrite),
      );
      expect(await get("appendonly")).toBe(settings.persistence.aof ? "yes" : "no");
    } finally {
      client.disconnect();
      if (server.exitCode === null && server.signalCode === null)
        process.kill(-server.pid!, "SIGKILL");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
