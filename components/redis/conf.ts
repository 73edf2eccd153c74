/**
 * redis.conf and sentinel.conf as pure functions of settings, hosts and ports: the Kubernetes
 * ConfigMap and the local failover drill render their files with these same functions. Neither
 * file holds a password or a node's own identity: the start-up script (script.ts) appends those
 * to a writable copy, so the rendered text can sit in a ConfigMap and in the offline plan.
 */
import type { RedisConfig } from "../../config";

/** A host name (or address) and port. */
export interface HostPort {
  host: string;
  port: number;
}

/** The group's members, in ordinal order. */
export interface RedisTopology {
  /** Sentinel's name for the master group. */
  masterGroup: string;
  /** Redis nodes; nodes[0] is the master of a cold start (no Sentinel or node knows one). */
  nodes: HostPort[];
  /** Sentinels. */
  sentinels: HostPort[];
}

/** Where one process listens and keeps its files. */
export interface ListenerSettings {
  port: number;
  /** Addresses to bind, e.g. ["0.0.0.0"] in a pod, ["127.0.0.1"] in the drill. */
  bind: string[];
  /** Working directory (AOF files for Redis, nothing of value for Sentinel). */
  dir: string;
}

/** The settings the two files are rendered from (the `vega-ha:redis` config section, or part of it). */
export type RedisSettings = Pick<
  RedisConfig,
  "sentinel" | "replication" | "memory" | "persistence"
>;

export const addr = (hp: HostPort) => `${hp.host}:${hp.port}`;

function lines(...groups: (string | false)[][]): string {
  return (
    groups.map((g) => g.filter((l): l is string => l !== false).join("\n")).join("\n\n") + "\n"
  );
}

const HEADER = (file: string) => [
  `# ${file}, rendered by vega-ha (components/redis/conf.ts). Do not edit: change the stack config.`,
  // Stryker disable next-line StringLiteral: a comment of the rendered file; Redis skips it, blank or not.
  "# The start-up script (vega-redis.sh) copies this file to a writable volume and appends this",
  // Stryker disable next-line StringLiteral: a comment of the rendered file; Redis skips it, blank or not.
  "# process's identity and passwords there; nothing secret is in this file.",
];

const listener = (l: ListenerSettings) => [
  `bind ${l.bind.join(" ")}`,
  `port ${l.port}`,
  `dir ${l.dir}`,
  "daemonize no",
  'logfile ""',
];

/** redis.conf of every node (a replica's `replicaof` line is added at start). */
export function renderRedisConf(listen: ListenerSettings, s: RedisSettings): string {
  const { persistence: p, memory: m, replication: r } = s;
  return lines(
    HEADER("redis.conf"),
    [...listener(listen), "protected-mode yes", "tcp-keepalive 60", "timeout 0"],
    [
      // Stryker disable next-line StringLiteral: a comment of the rendered file; Redis skips it, blank or not.
      "# Persistence: the append-only file, or nothing. RDB snapshots stay off either way:",
      // Stryker disable next-line StringLiteral: a comment of the rendered file; Redis skips it, blank or not.
      "# replicas get their copy through diskless sync.",
      `appendonly ${p.aof ? "yes" : "no"}`,
      p.aof && `appendfsync ${p.appendfsync}`,
      'save ""',
    ],
    [`maxmemory ${m.maxmemoryMb}mb`, `maxmemory-policy ${m.policy}`],
    [
      // Stryker disable next-line StringLiteral: a comment of the rendered file; Redis skips it, blank or not.
      "# Writes need a current replica, so an isolated old master cannot take writes a failover loses.",
      `min-replicas-to-write ${r.minReplicasToWrite}`,
      `min-replicas-max-lag ${r.minReplicasMaxLagSeconds}`,
      "replica-read-only yes",
      "replica-serve-stale-data yes",
      "repl-diskless-sync yes",
      // Stryker disable next-line StringLiteral: a comment of the rendered file; Redis skips it, blank or not.
      "# Start a full sync at once: a lone master refuses writes until a replica is back.",
      "repl-diskless-sync-delay 0",
      "replica-priority 100",
    ],
  );
}

/**
 * sentinel.conf of every Sentinel. It monitors nodes[0], the cold-start master; the start-up
 * script replaces that line with the current master when a Sentinel or a node knows it.
 */
export function renderSentinelConf(
  listen: ListenerSettings,
  topology: RedisTopology,
  s: Pick<RedisSettings, "sentinel">,
): string {
  const g = topology.masterGroup;
  const first = topology.nodes[0];
  if (!first) throw new Error("renderSentinelConf: the topology has no Redis node");
  const t = s.sentinel;
  return lines(
    HEADER("sentinel.conf"),
    listener(listen),
    [
      // Stryker disable next-line StringLiteral: a comment of the rendered file; Redis skips it, blank or not.
      "# Hostnames everywhere: pod IPs change, names do not. Both must precede `sentinel monitor`.",
      "sentinel resolve-hostnames yes",
      "sentinel announce-hostnames yes",
    ],
    [
      sentinelMonitorLine(g, first, t.quorum),
      `sentinel down-after-milliseconds ${g} ${t.downAfterMs}`,
      `sentinel failover-timeout ${g} ${t.failoverTimeoutMs}`,
      `sentinel parallel-syncs ${g} ${t.parallelSyncs}`,
    ],
  );
}

export function sentinelMonitorLine(group: string, master: HostPort, quorum: number): string {
  return `sentinel monitor ${group} ${master.host} ${master.port} ${quorum}`;
}

/** The words after a directive's name on its first line, e.g. readDirective(conf, "maxmemory") → ["1024mb"]. */
export function readDirective(text: string, name: string): string[] | undefined {
  const line = text
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.startsWith(`${name} `));
  return line?.slice(name.length).trim().split(/\s+/);
}
