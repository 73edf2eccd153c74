/**
 * The failover drill, phase by phase, on a LocalRedisGroup. Each phase returns what it observed;
 * the test asserts on those values and the benchmark aggregates them. Nothing here decides
 * pass or fail except timeouts (a phase that cannot finish throws, naming what it waited for).
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type Redis from "ioredis";
import { LocalRedisGroup, waitFor, type LocalGroupOptions } from "./local-group";
import { AckedWriter, type AckedWrite } from "./writer";

/** Writes to see flowing before a fault and after recovery, so both sides are exercised. */
const WRITES_AROUND_FAULT = 50;

export interface FailoverResult {
  fromNode: number;
  toNode: number;
  /** Time from SIGKILL of the master to the first acknowledged write sent after it. */
  failoverMs: number;
  acked: number;
  /** Acknowledged writes not on the new master. */
  missing: AckedWrite[];
  /** Error replies the client saw meanwhile, by kind. */
  errors: Record<string, number>;
}

export interface RejoinResult {
  node: number;
  /** Every role the restarted node reported, from its first answer on. */
  roles: string[];
  /** host:port the restarted node replicates from. */
  replicatesFrom: string;
  /** host:port of the master the Sentinels name. */
  master: string;
  /** The line the start-up script wrote into the live config. */
  replicaofLine: string | undefined;
  /** Exit code of `vega-redis.sh ready-redis` once rejoined. */
  readyProbe: number;
  /** Acknowledged writes missing on the rejoined node. */
  missing: number;
}

export interface MinReplicasResult {
  stopped: number[];
  /** The error a write got with every replica stopped. */
  refusal: string;
  /** Exit code of `ready-redis` for a stopped replica. */
  stoppedReadyProbe: number;
  /** Time from restarting one replica to the first accepted write. */
  recoveredMs: number;
}

export interface HandoverResult {
  node: number;
  toNode: number;
  roles: string[];
  /** Time from SIGKILL to the first acknowledged write sent after it. */
  writesResumedMs: number;
  missing: AckedWrite[];
}

const hostPort = (h: { host: string; port: number }) => `${h.host}:${h.port}`;

/** Starts the nodes, then the Sentinels once replication is up; resolves when every Sentinel sees the whole group. */
export async function startGroup(group: LocalRedisGroup): Promise<void> {
  const nodes = group.topology.nodes.length;
  const sentinels = group.topology.sentinels.length;
  group.topology.nodes.forEach((_, i) => group.start("redis", i));
  await waitFor(`node 0 to have ${nodes - 1} replicas online`, 15_000, async () => {
    const info = await group.info(0);
    const online = Object.keys(info).filter(
      (k) => /^slave\d+$/.test(k) && info[k]!.includes("state=online"),
    ).length;
    return info.role === "master" && online === nodes - 1 ? true : undefined;
  });
  group.topology.sentinels.forEach((_, i) => group.start("sentinel", i));
  await waitFor("every Sentinel to see all replicas and Sentinels", 20_000, async () => {
    const views = await Promise.all(group.topology.sentinels.map((_, i) => group.sentinelView(i)));
    return views.every(
      (v) =>
        Number(v["num-slaves"]) === nodes - 1 && Number(v["num-other-sentinels"]) === sentinels - 1,
    )
      ? true
      : undefined;
  });
}

/** The node every Sentinel names master, once they agree on one other than `not`. */
export async function agreedMaster(
  group: LocalRedisGroup,
  timeoutMs: number,
  not?: number,
): Promise<number> {
  return waitFor("the Sentinels to agree on a master", timeoutMs, async () => {
    const named = await Promise.all(
      group.topology.sentinels.map((_, i) => group.masterPerSentinel(i)),
    );
    const first = named[0]!;
    return first >= 0 && first !== not && named.every((n) => n === first) ? first : undefined;
  });
}

/** Acknowledged writes whose value is not on node `i`. */
export async function missingOn(
  group: LocalRedisGroup,
  i: number,
  writes: AckedWrite[],
): Promise<AckedWrite[]> {
  const missing: AckedWrite[] = [];
  for (let at = 0; at < writes.length; at += 500) {
    const batch = writes.slice(at, at + 500);
    const values = (await group.command("redis", i, "MGET", ...batch.map((w) => w.key))) as (
      string | null
    )[];
    batch.forEach((w, j) => values[j] !== w.value && missing.push(w));
  }
  return missing;
}

async function writesFlowing(
  writer: AckedWriter,
  since: number,
  what: string,
  timeoutMs: number,
): Promise<AckedWrite> {
  const first = await waitFor(what, timeoutMs, async () => writer.firstAckedAfter(since), 20).catch(
    (err: Error) => {
      throw new Error(
        `${err.message}; the client saw ${JSON.stringify(writer.stats.errors)}, ${writer.stats.unconfirmed} unconfirmed, status ${writer.status}`,
      );
    },
  );
  await waitFor(
    `${WRITES_AROUND_FAULT} acknowledged writes after ${what}`,
    10_000,
    async () => (writer.ackedSince(first.sentAt) >= WRITES_AROUND_FAULT ? true : undefined),
    20,
  );
  return first;
}

/** SIGKILL the master while writing; Sentinel promotes a replica; the client follows. */
export async function killMaster(
  group: LocalRedisGroup,
  writer: AckedWriter,
): Promise<FailoverResult> {
  const downAfter = group.settings.sentinel.downAfterMs;
  await writesFlowing(writer, 0, "writes to the first master", 10_000);
  const fromNode = await agreedMaster(group, 5_000);
  const killedAt = performance.now();
  await group.stopMember("redis", fromNode, "SIGKILL");
  const first = await writesFlowing(
    writer,
    killedAt,
    "the first write to a new master",
    downAfter + group.settings.sentinel.failoverTimeoutMs + 10_000,
  );
  const toNode = await agreedMaster(group, 10_000, fromNode);
  return {
    fromNode,
    toNode,
    failoverMs: first.ackedAt - killedAt,
    acked: writer.stats.acked.length,
    missing: await missingOn(group, toNode, writer.stats.acked),
    errors: { ...writer.stats.errors },
  };
}

/** Records every role a node reports until `done` holds; returns them and the last INFO. */
async function watchRoles(
  group: LocalRedisGroup,
  node: number,
  what: string,
  done: (info: Record<string, string>) => boolean,
) {
  const roles: string[] = [];
  const info = await waitFor(
    what,
    30_000,
    async () => {
      const info = await group.info(node);
      if (roles[roles.length - 1] !== info.role) roles.push(info.role!);
      return done(info) ? info : undefined;
    },
    20,
  );
  return { roles, info };
}

/** Restarts a dead node through the start-up script; it must come back as a replica of the master. */
export async function rejoin(
  group: LocalRedisGroup,
  node: number,
  acked: AckedWrite[],
): Promise<RejoinResult> {
  group.start("redis", node);
  const { roles, info } = await watchRoles(
    group,
    node,
    `node ${node} to replicate again`,
    (i) => i.role === "slave" && i.master_link_status === "up",
  );
  // After a full sync the replica rewrites its AOF, and Redis 7.0 ignores SIGTERM until done.
  await waitFor(`node ${node} to finish its first AOF`, 10_000, async () => {
    const p = await group.info(node, "persistence");
    return p.aof_rewrite_in_progress === "0" && p.aof_rewrite_scheduled === "0" ? true : undefined;
  });
  const master = group.member("redis", await agreedMaster(group, 5_000));
  const live = readFileSync(group.liveConfigPath("redis", node), "utf8");
  return {
    node,
    roles,
    replicatesFrom: `${info.master_host}:${info.master_port}`,
    master: hostPort(master),
    replicaofLine: live.split("\n").find((l) => l.startsWith("replicaof ")),
    readyProbe: await group.probe("ready-redis", node),
    missing: (await missingOn(group, node, acked)).length,
  };
}

/** Stops every replica: the master must refuse writes, and accept them again once one is back. */
export async function loseAllReplicas(
  group: LocalRedisGroup,
  client: Redis,
): Promise<MinReplicasResult> {
  const master = await agreedMaster(group, 5_000);
  const stopped = group.topology.nodes.map((_, i) => i).filter((i) => i !== master);
  await Promise.all(stopped.map((i) => group.stopMember("redis", i, "SIGTERM")));
  const refusal = await waitFor("a write to be refused", 5_000, async () => {
    try {
      await client.set("drill:refused", "1");
      return undefined;
    } catch (err) {
      return String((err as Error).message);
    }
  });
  const stoppedReadyProbe = await group.probe("ready-redis", stopped[0]!);
  const restartedAt = performance.now();
  group.start("redis", stopped[0]!);
  const acceptedAt = await waitFor("a write to be accepted again", 20_000, async () => {
    try {
      await client.set("drill:accepted", "1");
      return performance.now();
    } catch {
      return undefined;
    }
  });
  for (const i of stopped.slice(1)) group.start("redis", i);
  await waitFor("every replica back online", 20_000, async () => {
    const info = await group.info(master);
    return Number(info.connected_slaves) === stopped.length ? true : undefined;
  });
  return { stopped, refusal, stoppedReadyProbe, recoveredMs: acceptedAt - restartedAt };
}

/**
 * SIGKILL the master and restart it at once, before any Sentinel calls it down: the start-up
 * script finds itself named master, asks for a failover and joins the new master as a replica.
 */
export async function restartMasterAtOnce(
  group: LocalRedisGroup,
  writer: AckedWriter,
): Promise<HandoverResult> {
  await writesFlowing(writer, 0, "writes before the restart", 10_000);
  const node = await agreedMaster(group, 5_000);
  // Every replica healthy in every Sentinel's eyes, so that one qualifies for promotion at once.
  await waitFor(
    "every Sentinel to see every replica healthy",
    30_000,
    async () => {
      const views = await Promise.all(
        group.topology.sentinels.map((_, i) => group.replicasPerSentinel(i)),
      );
      const healthy = (r: Record<string, string>) =>
        r.flags === "slave" && r["master-link-status"] === "ok";
      return views.every(
        (replicas) => replicas.filter(healthy).length === group.topology.nodes.length - 1,
      )
        ? true
        : undefined;
    },
    200,
  );
  const killedAt = performance.now();
  await group.stopMember("redis", node, "SIGKILL");
  group.start("redis", node);
  const { roles } = await watchRoles(
    group,
    node,
    `node ${node} to come back as a replica`,
    (i) => i.role === "slave" && i.master_link_status === "up",
  );
  const first = await writesFlowing(writer, killedAt, "the first write after the restart", 30_000);
  const toNode = await agreedMaster(group, 10_000, node);
  return {
    node,
    toNode,
    roles,
    writesResumedMs: first.ackedAt - killedAt,
    missing: await missingOn(group, toNode, writer.stats.acked),
  };
}

export interface AuthResult {
  /** Replies to PING without a password, from a node and from a Sentinel. */
  node: string;
  sentinel: string;
}

/** Clients, replicas and Sentinels all need the password: a client without it is refused. */
export async function unauthenticatedReplies(group: LocalRedisGroup): Promise<AuthResult> {
  const reply = (role: "redis" | "sentinel") =>
    group.commandAs(undefined, role, 0, "PING").then(
      (r) => String(r),
      (err: Error) => err.message,
    );
  return { node: await reply("redis"), sentinel: await reply("sentinel") };
}

export interface DrillReport {
  downAfterMs: number;
  auth: AuthResult;
  failover: FailoverResult;
  rejoin: RejoinResult;
  minReplicas: MinReplicasResult;
  handover: HandoverResult;
  /** Acknowledged writes over the whole drill, and those missing on the final master. */
  acked: number;
  lost: number;
  /** Processes the drill started that still exist after it stopped the group. */
  leftoverProcesses: number[];
}

/** The whole drill on a fresh group; every process is stopped at the end, also on failure. */
export async function runFailoverDrill(options: LocalGroupOptions = {}): Promise<DrillReport> {
  const group = await LocalRedisGroup.create(options);
  let client: Redis | undefined;
  try {
    await startGroup(group);
    const auth = await unauthenticatedReplies(group);
    client = group.client();
    client.on("error", () => undefined);
    const writer = new AckedWriter(client, "drill");
    const failover = await whileWriting(writer, () => killMaster(group, writer));
    const rejoined = await rejoin(group, failover.fromNode, writer.stats.acked);
    const minReplicas = await loseAllReplicas(group, client);
    const handoverWriter = new AckedWriter(client, "handover");
    const handover = await whileWriting(handoverWriter, () =>
      restartMasterAtOnce(group, handoverWriter),
    );
    const all = [...writer.stats.acked, ...handoverWriter.stats.acked];
    const finalMaster = await agreedMaster(group, 10_000);
    const lost = (await missingOn(group, finalMaster, all)).length;
    client.disconnect();
    await group.stop();
    return {
      downAfterMs: group.settings.sentinel.downAfterMs,
      auth,
      failover,
      rejoin: rejoined,
      minReplicas,
      handover,
      acked: all.length,
      lost,
      leftoverProcesses: group.leftoverProcesses(),
    };
  } catch (err) {
    // Keep the configs and logs of a failed drill for whoever reads the error.
    await group.stop({ keepFiles: true });
    throw new Error(
      `${(err as Error).message}\n(configs and logs of the failed drill: ${group.dir})`,
      { cause: err },
    );
  } finally {
    client?.disconnect();
    await group.stop();
  }
}

async function whileWriting<T>(writer: AckedWriter, phase: () => Promise<T>): Promise<T> {
  writer.start();
  try {
    return await phase();
  } finally {
    await writer.stop();
  }
}
