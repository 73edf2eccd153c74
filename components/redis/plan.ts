/**
 * The cache's part of the offline plan: each group's rendered files (redis.conf, sentinel.conf,
 * vega-redis.sh) as artifacts, and a summary of its settings for the pull request.
 */
import type {
  PlanArtifact,
  PlanContext,
  PlanExtension,
  PlanSection,
  RecordedResource,
} from "../core/plan";
import { readDirective } from "./conf";

const GROUP_TYPE = "vega:redis:RedisSentinel";

interface RecordedGroup {
  name: string;
  files: Record<string, string>;
  statefulSets: RecordedResource[];
}

function recordedGroups(resources: RecordedResource[]): RecordedGroup[] {
  return resources
    .filter((r) => r.type === GROUP_TYPE)
    .map((group) => {
      const children = resources.filter((r) => r.parent === group.urn);
      const configMap = children.find((r) => r.type === "kubernetes:core/v1:ConfigMap");
      const data = (configMap?.inputs as { data?: unknown } | undefined)?.data;
      return {
        name: group.name,
        files: data && typeof data === "object" ? (data as Record<string, string>) : {},
        statefulSets: children.filter((r) => r.type === "kubernetes:apps/v1:StatefulSet"),
      };
    });
}

function artifacts(ctx: PlanContext): PlanArtifact[] {
  return recordedGroups(ctx.resources).flatMap((g) =>
    Object.entries(g.files).map(([file, content]) => ({
      path: `redis/${g.name}/${file}`,
      content,
    })),
  );
}

function describeGroup(g: RecordedGroup): string {
  // A file that is missing reads like one without the directive: "?" below.
  // Stryker disable next-line StringLiteral: any text without the directives reads the same.
  const sentinel = g.files["sentinel.conf"] ?? "";
  // Stryker disable next-line StringLiteral: any text without the directives reads the same.
  const redis = g.files["redis.conf"] ?? "";
  const [group = "?", masterHost = "?", , quorum = "?"] =
    readDirective(sentinel, "sentinel monitor") ?? [];
  const setting = (text: string, name: string) => readDirective(text, name)?.join(" ") ?? "?";
  const rows = g.statefulSets.map((s) => {
    const spec = s.inputs as {
      metadata?: { name?: string };
      spec?: { replicas?: number; template?: { spec?: { containers?: { image?: string }[] } } };
    };
    const images = spec.spec?.template?.spec?.containers?.map((c) => `\`${c.image}\``);
    return `| StatefulSet \`${spec.metadata?.name ?? "?"}\` | ${spec.spec?.replicas ?? "?"} pods, ${images?.join(" + ") ?? "?"} |`;
  });
  return [
    `Group \`${group}\` (${g.name}); cold-start master \`${masterHost}\`.`,
    "",
    "| | |",
    "|---|---|",
    ...rows,
    `| quorum | ${quorum} |`,
    `| down-after / failover-timeout | ${setting(sentinel, `sentinel down-after-milliseconds ${group}`)} ms / ${setting(sentinel, `sentinel failover-timeout ${group}`)} ms |`,
    `| min-replicas-to-write (max lag) | ${setting(redis, "min-replicas-to-write")} (${setting(redis, "min-replicas-max-lag")} s) |`,
    `| maxmemory | ${setting(redis, "maxmemory")} ${setting(redis, "maxmemory-policy")} |`,
    `| appendonly | ${setting(redis, "appendonly")} |`,
    "",
    `Rendered files: ${Object.keys(g.files)
      .map((f) => `\`redis/${g.name}/${f}\``)
      .join(", ")}.`,
  ].join("\n");
}

function sections(ctx: PlanContext): PlanSection[] {
  const groups = recordedGroups(ctx.resources);
  if (groups.length === 0) return [];
  return [{ title: "Redis with Sentinel", markdown: groups.map(describeGroup).join("\n\n") }];
}

/** Register in the plan tool's list of extensions. */
export const redisPlanExtension: PlanExtension = { name: "redis", artifacts, sections };
