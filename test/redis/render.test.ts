import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { redisSchema } from "../../config";
import {
  readDirective,
  renderRedisConf,
  renderSentinelConf,
  renderStartScript,
  SCRIPT_COMMANDS,
  type RedisTopology,
} from "../../components/redis";

const dir = mkdtempSync(path.join(tmpdir(), "vega-redis-render-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const topology = (hosts: string[], port = 6379): RedisTopology => ({
  masterGroup: "vega-cache",
  nodes: hosts.map((host) => ({ host, port })),
  sentinels: hosts.map((host) => ({ host: `s-${host}`, port: port + 20000 })),
});
const listen = { port: 6379, bind: ["0.0.0.0"], dir: "/data" };
const confLines = (text: string) => text.split("\n").filter((l) => l && !l.startsWith("#"));

/** Runs the rendered script with sh; returns its exit code and stderr. */
function runScript(script: string, args: string[], env: Record<string, string>) {
  const file = path.join(dir, `script-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, script);
  const r = spawnSync("sh", [file, ...args], {
    env: { PATH: process.env.PATH, ...env },
    encoding: "utf8",
    timeout: 10_000,
  });
  return { status: r.status, stderr: r.stderr };
}

describe("renderRedisConf", () => {
  it("writes every setting from the config, and no password", () => {
    const s = redisSchema.parse({
      memory: { maxmemoryMb: 512, policy: "volatile-ttl" },
      replication: { minReplicasToWrite: 2, minReplicasMaxLagSeconds: 7 },
      persistence: { appendfsync: "always" },
    });
    const lines = confLines(renderRedisConf(listen, s));
    expect(lines).toEqual(
      expect.arrayContaining([
        "bind 0.0.0.0",
        "port 6379",
        "dir /data",
        "appendonly yes",
        "appendfsync always",
        'save ""',
        "maxmemory 512mb",
        "maxmemory-policy volatile-ttl",
        "min-replicas-to-write 2",
        "min-replicas-max-lag 7",
      ]),
    );
    expect(
      lines.filter((l) => /^(requirepass|masterauth|replicaof|replica-announce-ip)\b/.test(l)),
    ).toEqual([]);
  });

  it("without AOF keeps no persistence at all", () => {
    const lines = confLines(
      renderRedisConf(listen, redisSchema.parse({ persistence: { aof: false } })),
    );
    expect(lines).toContain("appendonly no");
    expect(lines).toContain('save ""');
    expect(lines.some((l) => l.startsWith("appendfsync"))).toBe(false);
  });
});

/**
 * How Redis reads a config file: one directive per line, its name then its arguments; blank
 * lines and lines starting with # are skipped. Returns name → arguments (the whole line after
 * the name), and every line that is neither blank, a comment, nor `name args`.
 */
function parseConf(text: string, key: (words: string[]) => string = (w) => w[0]) {
  const directives = new Map<string, string[]>();
  const bad: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const words = line.split(" ");
    if (!/^[a-z][a-z-]*$/.test(words[0]) || words.length < 2 || words.includes("")) bad.push(line);
    const name = key(words);
    if (directives.has(name)) bad.push(`${line} (again)`);
    directives.set(name, words.slice(name.split(" ").length));
  }
  return { directives, bad };
}

describe("the rendered files, as Redis reads them", () => {
  const settings = (persistence: object) =>
    redisSchema.parse({ persistence, sentinel: { count: 3, quorum: 2 } });
  const sentinelKey = (w: string[]) => (w[0] === "sentinel" ? `${w[0]} ${w[1]}` : w[0]);
  const files = {
    "redis.conf, AOF on": renderRedisConf(listen, settings({ aof: true })),
    "redis.conf, AOF off": renderRedisConf(listen, settings({ aof: false })),
    "sentinel.conf": renderSentinelConf(
      { ...listen, port: 26379 },
      topology(["a", "b", "c"]),
      settings({}),
    ),
  };

  it.each(Object.entries(files))(
    "%s: every other line is one directive with its arguments, each directive once, ending in a newline",
    (name, text) => {
      const { directives, bad } = parseConf(
        text,
        name === "sentinel.conf" ? sentinelKey : undefined,
      );
      expect(bad).toEqual([]);
      expect(directives.size).toBeGreaterThan(5);
      expect(text.endsWith("\n")).toBe(true);
      expect(text).not.toMatch(/\n\n\n/);
    },
  );

  it.each(Object.entries(files))("%s says what rendered it and not to edit it", (name, text) => {
    const first = text.split("\n")[0];
    expect(first).toMatch(
      new RegExp(`^# ${name.split(",")[0].replace(".", "\\.")}, rendered by vega-ha`),
    );
    expect(first).toContain("Do not edit");
  });

  it("hardens every node: protected, in the foreground, no idle timeout, a failover-safe replica", () => {
    const { directives } = parseConf(files["redis.conf, AOF on"]);
    const expected: Record<string, string[]> = {
      // The pod's process: Kubernetes wants it in the foreground, logging to stdout.
      daemonize: ["no"],
      logfile: ['""'],
      // Refuses clients from outside loopback when no password is set (the start-up script sets one).
      "protected-mode": ["yes"],
      // Drops dead peers (a vanished pod) within minutes; idle clients are never cut.
      "tcp-keepalive": ["60"],
      timeout: ["0"],
      // A replica never takes writes, and serves reads while it resyncs after a failover.
      "replica-read-only": ["yes"],
      "replica-serve-stale-data": ["yes"],
      // RDB snapshots are off, so full syncs stream over the socket, and start at once.
      "repl-diskless-sync": ["yes"],
      "repl-diskless-sync-delay": ["0"],
      // Every node may be promoted (0 would mean never).
      "replica-priority": ["100"],
    };
    for (const [name, args] of Object.entries(expected))
      expect([name, directives.get(name)]).toEqual([name, args]);
  });

  it("Sentinel runs in the foreground and logs to stdout", () => {
    const { directives } = parseConf(files["sentinel.conf"], sentinelKey);
    expect(directives.get("daemonize")).toEqual(["no"]);
    expect(directives.get("logfile")).toEqual(['""']);
    expect(directives.get("port")).toEqual(["26379"]);
  });

  it("refuses a topology without a Redis node, saying so", () => {
    expect(() =>
      renderSentinelConf(listen, { masterGroup: "g", nodes: [], sentinels: [] }, settings({})),
    ).toThrow("renderSentinelConf: the topology has no Redis node");
  });
});

describe("readDirective", () => {
  it("reads a directive's words however the line is indented or spaced, the first line only", () => {
    const text =
      "# maxmemory 1mb\n  maxmemory   2048mb  \nmaxmemory 4mb\nmaxmemory-policy noeviction\n";
    expect(readDirective(text, "maxmemory")).toEqual(["2048mb"]);
    expect(readDirective("\tsentinel monitor g  h 6379\t 2\n", "sentinel monitor")).toEqual([
      "g",
      "h",
      "6379",
      "2",
    ]);
    expect(readDirective(text, "appendonly")).toBeUndefined();
  });
});

describe("the listener", () => {
  it("binds every address it is given", () => {
    const conf = renderRedisConf({ ...listen, bind: ["127.0.0.1", "::1"] }, redisSchema.parse({}));
    expect(confLines(conf)).toContain("bind 127.0.0.1 ::1");
  });
});

describe("renderSentinelConf", () => {
  const s = redisSchema.parse({
    sentinel: {
      count: 5,
      quorum: 3,
      downAfterMs: 4000,
      failoverTimeoutMs: 30_000,
      parallelSyncs: 2,
    },
  });
  const t = topology(["a.example", "b.example", "c.example"]);
  const lines = confLines(
    renderSentinelConf({ port: 26379, bind: ["0.0.0.0"], dir: "/tmp" }, t, s),
  );

  it("monitors node 0 with the quorum, and turns hostnames on before that", () => {
    const monitor = lines.indexOf("sentinel monitor vega-cache a.example 6379 3");
    expect(monitor).toBeGreaterThan(-1);
    expect(lines.indexOf("sentinel resolve-hostnames yes")).toBeLessThan(monitor);
    expect(lines.indexOf("sentinel announce-hostnames yes")).toBeLessThan(monitor);
  });

  it("sets the group's timings after the monitor line, and no password", () => {
    const monitor = lines.findIndex((l) => l.startsWith("sentinel monitor"));
    for (const l of [
      "sentinel down-after-milliseconds vega-cache 4000",
      "sentinel failover-timeout vega-cache 30000",
      "sentinel parallel-syncs vega-cache 2",
    ]) {
      expect(lines.indexOf(l)).toBeGreaterThan(monitor);
    }
    expect(lines.some((l) => /auth-pass|requirepass/.test(l))).toBe(false);
  });
});

describe("renderStartScript", () => {
  const s = redisSchema.parse({});

  it("renders valid POSIX sh listing every member in order, for any host names and ports", () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 3, maxLength: 5 }),
        fc.integer({ min: 1, max: 40000 }),
        (hosts, port) => {
          const t = topology(
            hosts.map((h, i) => `${h}-${i}.svc.local`),
            port,
          );
          const script = renderStartScript(t, s);
          expect(script).toContain(
            `REDIS_NODES='${t.nodes.map((n) => `${n.host}:${n.port}`).join(" ")}'`,
          );
          expect(script).toContain(
            `SENTINEL_NODES='${t.sentinels.map((n) => `${n.host}:${n.port}`).join(" ")}'`,
          );
          const file = path.join(dir, "syntax.sh");
          writeFileSync(file, script);
          expect(spawnSync("sh", ["-n", file]).status).toBe(0);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("refuses host names, ports and group names that would break out of the script", () => {
    for (const host of ["a;rm -rf /", "$(reboot)a", "a.example;", "-a", "a b"])
      expect(() => renderStartScript(topology([host]), s), host).toThrow(/not a host name/);
    expect(() => renderStartScript(topology(["a"], 0), s)).toThrow(
      "renderStartScript: Redis node port 0 is not a port",
    );
    const sentinelsOn = (port: number) => ({
      ...topology(["a"]),
      sentinels: [{ host: "s", port }],
    });
    for (const port of [0, 65536, 70000, 6379.5])
      expect(() => renderStartScript(sentinelsOn(port), s), `${port}`).toThrow(
        `renderStartScript: Sentinel port ${port} is not a port`,
      );
    for (const port of [1, 65535])
      expect(() => renderStartScript(sentinelsOn(port), s)).not.toThrow();
    expect(() => renderStartScript({ ...topology(["a"]), masterGroup: "x'y" }, s)).toThrow(
      /not a plain name/,
    );
    expect(() => renderStartScript({ ...topology(["a"]), sentinels: [] }, s)).toThrow(
      /no Sentinel/,
    );
  });

  it("waits for a hand-over as long as Sentinel's failover timeout, in whole seconds rounded up", () => {
    const slow = redisSchema.parse({ sentinel: { failoverTimeoutMs: 30_500 } });
    expect(renderStartScript(topology(["a"]), slow)).toContain("\nHANDOVER_WAIT_SECONDS=31\n");
  });

  const script = renderStartScript(topology(["a", "b", "c"]), s);
  it("refuses to start without a plain password, with a node index out of range, or an unknown command", () => {
    expect(runScript(script, ["start-redis"], { NODE_INDEX: "0" })).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/REDIS_PASSWORD must be set/),
    });
    expect(
      runScript(script, ["start-redis"], { NODE_INDEX: "0", REDIS_PASSWORD: 'a"b' }),
    ).toMatchObject({ status: 1, stderr: expect.stringMatching(/letters and digits only/) });
    expect(
      runScript(script, ["start-redis"], { NODE_INDEX: "3", REDIS_PASSWORD: "x1" }),
    ).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/'3' is not a Redis node \(0 to 2\)/),
    });
    expect(
      runScript(script, ["start-sentinel"], {
        HOSTNAME: "vega-redis-sentinel-x",
        REDIS_PASSWORD: "x1",
      }).status,
    ).toBe(1);
    expect(runScript(script, ["restart"], { NODE_INDEX: "0", REDIS_PASSWORD: "x1" })).toMatchObject(
      {
        status: 1,
        stderr: expect.stringContaining(`: usage: vega-redis.sh ${SCRIPT_COMMANDS.join("|")}\n`),
      },
    );
  });

  it("knows every command the pods run", () => {
    // An out-of-range node index is reported only for a command the script recognises.
    for (const command of SCRIPT_COMMANDS) {
      expect(
        runScript(script, [command], { NODE_INDEX: "9", REDIS_PASSWORD: "x1" }).stderr,
      ).toMatch(/is not a (Redis node|Sentinel)/);
    }
  });
});
