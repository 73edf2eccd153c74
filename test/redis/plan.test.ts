/**
 * The cache's part of the offline plan (components/redis/plan.ts) on recorded groups the real
 * stacks do not produce: a ConfigMap whose data was secret, a group without one, no group at all.
 * The stack suites (stack-suites.ts) check it on the synthesised stacks.
 */
import { describe, expect, it } from "vitest";
import { REDACTED } from "../../components/core/plan";
import { renderRedisConf, renderSentinelConf } from "../../components/redis";
import { redisPlanExtension } from "../../components/redis/plan";
import { redisSchema } from "../../config";
import { planContext, recordedResource } from "../harness/records";

const GROUP = recordedResource("vega:redis:RedisSentinel", "cache", {});
const child = (type: string, name: string, inputs: Record<string, unknown>) =>
  recordedResource(type, name, inputs, { parent: GROUP.urn });
const settings = redisSchema.parse({});
const listen = { port: 6379, bind: ["0.0.0.0"], dir: "/data" };
const files = {
  "redis.conf": renderRedisConf(listen, settings),
  "sentinel.conf": renderSentinelConf(
    { ...listen, port: 26379 },
    { masterGroup: "vega", nodes: [{ host: "redis-0", port: 6379 }], sentinels: [] },
    settings,
  ),
};
const statefulSet = child("kubernetes:apps/v1:StatefulSet", "cache-redis", {
  metadata: { name: "redis" },
  spec: { replicas: 3, template: { spec: { containers: [{ image: "redis:7" }] } } },
});
const service = child("kubernetes:core/v1:Service", "cache-svc", { metadata: { name: "redis" } });

const markdown = (resources: Parameters<typeof planContext>[0]) =>
  redisPlanExtension.sections!(planContext(resources)).map((s) => s.markdown);

describe("the Redis plan on hand-made groups", () => {
  it("lists a group's rendered files and its StatefulSets only, not its other children", () => {
    const configMap = child("kubernetes:core/v1:ConfigMap", "cache-conf", { data: files });
    const elsewhere = recordedResource("kubernetes:core/v1:ConfigMap", "other", {
      data: { x: "y" },
    });
    const resources = [GROUP, configMap, service, statefulSet, elsewhere];
    expect(redisPlanExtension.artifacts!(planContext(resources))).toEqual([
      { path: "redis/cache/redis.conf", content: files["redis.conf"] },
      { path: "redis/cache/sentinel.conf", content: files["sentinel.conf"] },
    ]);
    const [text] = markdown(resources);
    expect(text!.split("\n").filter((l) => l.startsWith("| StatefulSet"))).toEqual([
      "| StatefulSet `redis` | 3 pods, `redis:7` |",
    ]);
    expect(text).toContain("Group `vega` (cache); cold-start master `redis-0`.");
  });

  it.each([
    ["whose data was secret", [child("kubernetes:core/v1:ConfigMap", "c", { data: REDACTED })]],
    ["without data", [child("kubernetes:core/v1:ConfigMap", "c", {})]],
    ["without a ConfigMap", []],
  ])("a group %s has no files, and the summary says what it does not know", (_, extra) => {
    const resources = [GROUP, statefulSet, ...extra];
    expect(redisPlanExtension.artifacts!(planContext(resources))).toEqual([]);
    const lines = markdown(resources)[0]!.split("\n");
    expect(lines[0]).toBe("Group `?` (cache); cold-start master `?`.");
    expect(lines).toEqual(
      expect.arrayContaining(["| quorum | ? |", "| maxmemory | ? ? |", "| appendonly | ? |"]),
    );
  });

  it("summarises each group as a table under its title, the groups apart, and names its files", () => {
    const second = recordedResource("vega:redis:RedisSentinel", "sessions", {});
    const resources = [
      GROUP,
      child("kubernetes:core/v1:ConfigMap", "cache-conf", { data: files }),
      statefulSet,
      second,
    ];
    const sections = redisPlanExtension.sections!(planContext(resources));
    expect(sections.map((s) => s.title)).toEqual(["Redis with Sentinel"]);
    const lines = sections[0]!.markdown.split("\n");
    // A Markdown table: a header row, then the delimiter row, then its rows.
    expect(lines.slice(1, 4)).toEqual(["", "| | |", "|---|---|"]);
    // The second group follows the first's last line after a blank line.
    const filesLine = lines.indexOf(
      "Rendered files: `redis/cache/redis.conf`, `redis/cache/sentinel.conf`.",
    );
    expect(lines[filesLine - 1]).toBe(""); // ends the table
    expect(lines.slice(filesLine + 1, filesLine + 3)).toEqual([
      "",
      "Group `?` (sessions); cold-start master `?`.",
    ]);
    const t = settings.sentinel;
    expect(lines.slice(0, filesLine)).toEqual(
      expect.arrayContaining([
        `| quorum | ${t.quorum} |`,
        `| down-after / failover-timeout | ${t.downAfterMs} ms / ${t.failoverTimeoutMs} ms |`,
        `| appendonly | ${settings.persistence.aof ? "yes" : "no"} |`,
      ]),
    );
  });

  it("shows what a StatefulSet's record leaves out as ?", () => {
    const bare = child("kubernetes:apps/v1:StatefulSet", "bare", {});
    const partial = (name: string, spec: object) =>
      child("kubernetes:apps/v1:StatefulSet", name, { metadata: { name }, spec });
    const resources = [
      GROUP,
      bare,
      partial("no-template", { replicas: 2 }),
      partial("no-pod-spec", { replicas: 2, template: {} }),
      partial("no-containers", { replicas: 2, template: { spec: {} } }),
    ];
    const rows = markdown(resources)[0]!
      .split("\n")
      .filter((l) => l.startsWith("| StatefulSet"));
    expect(rows).toEqual([
      "| StatefulSet `?` | ? pods, ? |",
      "| StatefulSet `no-template` | 2 pods, ? |",
      "| StatefulSet `no-pod-spec` | 2 pods, ? |",
      "| StatefulSet `no-containers` | 2 pods, ? |",
    ]);
  });

  it("adds no section to a stack without a Redis group", () => {
    expect(markdown([statefulSet, service])).toEqual([]);
  });
});
