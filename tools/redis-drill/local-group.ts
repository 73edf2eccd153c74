/**
 * A Redis group with Sentinels on this machine's loopback interface, started from the very files
 * the Kubernetes component renders (redis.conf, sentinel.conf, vega-redis.sh) and by the real
 * start-up script. Every process runs in its own process group, and `stop()` kills them all;
 * a process-exit hook does the same if the caller never gets that far.
 */
import { spawn, type ChildProcess } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import Redis, { type RedisOptions } from "ioredis";
import { redisSchema, type RedisConfig } from "../../config";
import {
  renderRedisConf,
  renderSentinelConf,
  type HostPort,
  type RedisTopology,
} from "../../components/redis/conf";
import { renderStartScript, SCRIPT_NAME, type ScriptCommand } from "../../components/redis/script";

/** Host name every member announces: a real name, resolved like a pod's DNS name. */
export const DRILL_HOST = "localhost";
const BIND = ["127.0.0.1"];
/** Letters and digits, as the script demands; random per group. */
const drillPassword = () => `drill${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

export type Role = "redis" | "sentinel";

export interface LocalGroupOptions {
  /** `vega-ha:redis` settings for the drill (short down-after keeps it fast). */
  redis?: Record<string, unknown>;
  /** Keep the working directory (configs, logs) after stop(). Default false. */
  keepFiles?: boolean;
}

/** Default drill settings: the config schema's defaults with a short down-after and small memory. */
export const DRILL_SETTINGS = {
  sentinel: { downAfterMs: 2000, failoverTimeoutMs: 10000 },
  memory: { maxmemoryMb: 64, limitMb: 128 },
};

/** `count` distinct free TCP ports on the loopback interface. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

const running = new Set<ChildProcess>();
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
process.once("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

/** Polls `probe` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  intervalMs = 100,
): Promise<T> {
  if (process.env.DRILL_LOG)
    console.error(`[drill ${new Date().toISOString().slice(11, 23)}] waiting for ${what}`);
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    // A probe that hangs must not hang the caller past the deadline.
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error("probe still running at the deadline")),
        Math.max(0, deadline - Date.now()) + 50,
      );
    });
    try {
      const value = await Promise.race([probe(), expired]);
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    } finally {
      clearTimeout(timer);
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last instanceof Error ? last.message : JSON.stringify(last)})` : ""}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** SENTINEL MASTER/INFO-style flat reply to a map. */
function pairs(flat: unknown): Record<string, string> {
  const list = flat as string[];
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[list[i]!] = list[i + 1]!;
  return out;
}

/** INFO text to a map. */
export function parseInfo(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split(/\r?\n/)
      .filter((l) => l.includes(":") && !l.startsWith("#"))
      .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1)]),
  );
}

export class LocalRedisGroup {
  readonly dir: string;
  readonly password = drillPassword();
  readonly settings: RedisConfig;
  readonly topology: RedisTopology;
  readonly scriptPath: string;
  private readonly children = new Map<string, ChildProcess>();
  private readonly started: number[] = [];
  private kept = false;

  private constructor(
    dir: string,
    settings: RedisConfig,
    redisPorts: number[],
    sentinelPorts: number[],
    private readonly keepFiles: boolean,
  ) {
    this.dir = dir;
    this.settings = settings;
    this.topology = {
      masterGroup: settings.masterGroup,
      nodes: redisPorts.map((port) => ({ host: DRILL_HOST, port })),
      sentinels: sentinelPorts.map((port) => ({ host: DRILL_HOST, port })),
    };
    this.scriptPath = path.join(dir, SCRIPT_NAME);
    writeFileSync(this.scriptPath, renderStartScript(this.topology, settings));
    this.topology.nodes.forEach((node, i) => {
      mkdirSync(this.workDir("redis", i));
      writeFileSync(
        this.templatePath("redis", i),
        renderRedisConf({ port: node.port, bind: BIND, dir: this.workDir("redis", i) }, settings),
      );
    });
    this.topology.sentinels.forEach((sentinel, i) => {
      mkdirSync(this.workDir("sentinel", i));
      writeFileSync(
        this.templatePath("sentinel", i),
        renderSentinelConf(
          { port: sentinel.port, bind: BIND, dir: this.workDir("sentinel", i) },
          this.topology,
          settings,
        ),
      );
    });
  }

  /** Renders the files for a group on free ports; starts nothing yet. */
  static async create(options: LocalGroupOptions = {}): Promise<LocalRedisGroup> {
    const settings = redisSchema.parse({ ...DRILL_SETTINGS, ...options.redis });
    const ports = await freePorts(settings.nodes + settings.sentinel.count);
    const dir = mkdtempSync(path.join(tmpdir(), "vega-redis-drill-"));
    return new LocalRedisGroup(
      dir,
      settings,
      ports.slice(0, settings.nodes),
      ports.slice(settings.nodes),
      options.keepFiles ?? false,
    );
  }

  workDir(role: Role, i: number): string {
    return path.join(this.dir, `${role}-${i}`);
  }

  templatePath(role: Role, i: number): string {
    return path.join(this.dir, `${role}-${i}.template.conf`);
  }

  /** The writable copy the start-up script writes (and Sentinel rewrites). */
  liveConfigPath(role: Role, i: number): string {
    return path.join(this.workDir(role, i), `${role}.conf`);
  }

  logPath(role: Role, i: number): string {
    return path.join(this.dir, `${role}-${i}.log`);
  }

  member(role: Role, i: number): HostPort {
    const list = role === "redis" ? this.topology.nodes : this.topology.sentinels;
    const hp = list[i];
    if (!hp) throw new Error(`no ${role} #${i}`);
    return hp;
  }

  /** The environment the script gets in a pod, with this process's paths. */
  private scriptEnv(role: Role, i: number): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      REDIS_PASSWORD: this.password,
      NODE_INDEX: String(i),
      CONFIG_TEMPLATE: this.templatePath(role, i),
      CONFIG_FILE: this.liveConfigPath(role, i),
    };
  }

  /** Starts a member through the rendered start-up script (`sh vega-redis.sh start-…`). */
  start(role: Role, i: number): ChildProcess {
    const key = `${role}-${i}`;
    const existing = this.children.get(key);
    if (existing && existing.exitCode === null && existing.signalCode === null)
      throw new Error(`${key} is already running`);
    const log = openSync(this.logPath(role, i), "a");
    const child = spawn("sh", [this.scriptPath, `start-${role}`], {
      detached: true,
      env: this.scriptEnv(role, i),
      stdio: ["ignore", log, log],
    });
    closeSync(log);
    running.add(child);
    if (child.pid !== undefined) this.started.push(child.pid);
    child.once("exit", () => running.delete(child));
    this.children.set(key, child);
    return child;
  }

  /**
   * Sends `signal` to a member's process group and waits until it has exited; SIGKILL after
   * `graceMs`, as the kubelet does after terminationGracePeriodSeconds (Redis 7.0 ignores a
   * SIGTERM while it writes its first AOF after a full sync).
   */
  async stopMember(
    role: Role,
    i: number,
    signal: NodeJS.Signals = "SIGTERM",
    graceMs = 3000,
  ): Promise<void> {
    const child = this.children.get(`${role}-${i}`);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    if (process.env.DRILL_LOG)
      console.error(`[drill] ${signal} to ${role}-${i} (pid ${child.pid})`);
    killGroup(child, signal);
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }

  isRunning(role: Role, i: number): boolean {
    const child = this.children.get(`${role}-${i}`);
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** Runs one of the script's probe commands for a member; resolves to its exit code. */
  probe(
    command: Exclude<ScriptCommand, "start-redis" | "start-sentinel">,
    i: number,
  ): Promise<number> {
    const role: Role = command.endsWith("sentinel") ? "sentinel" : "redis";
    return new Promise((resolve, reject) => {
      const child = spawn("sh", [this.scriptPath, command], {
        env: this.scriptEnv(role, i),
        stdio: "ignore",
      });
      child.once("error", reject);
      child.once("exit", (code) => resolve(code ?? -1));
    });
  }

  /** One command to one member over a short-lived authenticated connection. */
  command(role: Role, i: number, ...args: (string | number)[]): Promise<unknown> {
    return this.commandAs(this.password, role, i, ...args);
  }

  /** One command over a short-lived connection with the given password (none: anonymous). */
  async commandAs(
    password: string | undefined,
    role: Role,
    i: number,
    ...args: (string | number)[]
  ): Promise<unknown> {
    const { port } = this.member(role, i);
    const client = new Redis({
      host: "127.0.0.1",
      port,
      password,
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      enableReadyCheck: false,
      connectTimeout: 1000,
      commandTimeout: 2000,
    });
    client.on("error", () => undefined);
    try {
      await client.connect();
      return await client.call(String(args[0]), ...args.slice(1).map(String));
    } finally {
      client.disconnect();
    }
  }

  async info(i: number, section = "replication"): Promise<Record<string, string>> {
    return parseInfo(String(await this.command("redis", i, "INFO", section)));
  }

  /** SENTINEL MASTER <group> of one Sentinel, as a map. */
  async sentinelView(i: number): Promise<Record<string, string>> {
    return pairs(
      await this.command("sentinel", i, "SENTINEL", "MASTER", this.topology.masterGroup),
    );
  }

  /** SENTINEL REPLICAS <group> of one Sentinel, each as a map. */
  async replicasPerSentinel(i: number): Promise<Record<string, string>[]> {
    return (
      (await this.command(
        "sentinel",
        i,
        "SENTINEL",
        "REPLICAS",
        this.topology.masterGroup,
      )) as unknown[]
    ).map(pairs);
  }

  /** The node index a Sentinel names master. */
  async masterPerSentinel(i: number): Promise<number> {
    const [host, port] = (await this.command(
      "sentinel",
      i,
      "SENTINEL",
      "GET-MASTER-ADDR-BY-NAME",
      this.topology.masterGroup,
    )) as [string, string];
    return this.topology.nodes.findIndex((n) => n.host === host && n.port === Number(port));
  }

  /**
   * A Sentinel-aware client, as the gateways and workers use it. Not with `failoverDetector`:
   * in ioredis 5.8 a +switch-master that arrives while the client is reconnecting through the
   * Sentinels ends the client for good (status "end"), as the drill found.
   */
  client(options: RedisOptions = {}): Redis {
    return new Redis({
      sentinels: this.topology.sentinels.map((s) => ({ host: s.host, port: s.port })),
      name: this.topology.masterGroup,
      password: this.password,
      sentinelPassword: this.password,
      sentinelRetryStrategy: () => 100,
      retryStrategy: () => 100,
      maxRetriesPerRequest: null,
      connectTimeout: 1000,
      ...options,
    });
  }

  readLog(role: Role, i: number): string {
    try {
      return readFileSync(this.logPath(role, i), "utf8");
    } catch {
      return "";
    }
  }

  /** Kills every process of the group (SIGKILL to each process group) and removes its files. */
  async stop(options: { keepFiles?: boolean } = {}): Promise<void> {
    const children = [...this.children.values()];
    await Promise.all(
      children.map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
        const exited = new Promise((resolve) => child.once("exit", resolve));
        killGroup(child, "SIGKILL");
        return Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      }),
    );
    if (options.keepFiles) this.kept = true;
    if (!this.keepFiles && !this.kept) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Pids of every member still running. */
  runningPids(): number[] {
    return [...this.children.values()]
      .filter((c) => c.exitCode === null && c.signalCode === null)
      .map((c) => c.pid!);
  }

  /** Every process this group ever started that the system still knows (none after stop()). */
  leftoverProcesses(): number[] {
    return this.started.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
  }
}
