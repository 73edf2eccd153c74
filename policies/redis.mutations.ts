/** Mutations that prove the cache rules of redis.ts (see mutation.ts). */
import type { ResourceProps } from "../components/core/plan";
import { chain, editInputs, podSpec, type PolicyMutation } from "./mutation";
import {
  credentialEnvFromSecret,
  noPasswordInConfigMap,
  sentinelGroupSane,
  writesNeedReplica,
} from "./redis";

const REDIS_CONFIG = {
  type: "kubernetes:core/v1:ConfigMap",
  where: (r: { inputs: ResourceProps }) => typeof r.inputs.data?.["sentinel.conf"] === "string",
};
const SENTINELS = {
  type: "kubernetes:apps/v1:StatefulSet",
  where: (r: { inputs: ResourceProps }) =>
    podSpec(r.inputs).containers.some((c: { command?: string[] }) =>
      c.command?.includes("start-sentinel"),
    ),
};

const SENTINEL_BUDGET = {
  type: "kubernetes:policy/v1:PodDisruptionBudget",
  where: (r: { inputs: ResourceProps }) =>
    r.inputs.spec?.selector?.matchLabels?.["app.kubernetes.io/name"] === "redis-sentinel",
};

/** Rewrites one of the Redis ConfigMap's files. */
const editFile = (file: string, edit: (text: string) => string) =>
  editInputs(REDIS_CONFIG, (p) => (p.data[file] = edit(p.data[file])));

export const redisMutations: PolicyMutation[] = [
  {
    rule: credentialEnvFromSecret,
    breaks: "REDIS_PASSWORD given as a literal instead of from the Secret",
    apply: editInputs(SENTINELS, (p) => {
      const env = podSpec(p).containers[0].env as { name: string; value?: string }[];
      const at = env.findIndex((e) => e.name === "REDIS_PASSWORD");
      env[at] = { name: "REDIS_PASSWORD", value: "literal-in-the-spec" };
    }),
  },
  {
    rule: noPasswordInConfigMap,
    breaks: "a ConfigMap key named like a credential",
    apply: editInputs(REDIS_CONFIG, (p) => (p.data["redis-password"] = "see the Secret")),
  },
  {
    rule: noPasswordInConfigMap,
    breaks: "redis.conf with a literal requirepass",
    apply: editFile("redis.conf", (t) => `${t}\nrequirepass literal-in-the-config\n`),
  },
  {
    rule: sentinelGroupSane,
    breaks: "sentinel.conf monitors no master",
    apply: editFile("sentinel.conf", (t) => t.replace(/^sentinel monitor .*$/m, "")),
  },
  {
    rule: sentinelGroupSane,
    breaks: "hostnames resolved only after sentinel monitor",
    apply: editFile("sentinel.conf", (t) =>
      t
        .replace(/^sentinel resolve-hostnames yes\n/m, "")
        .concat("sentinel resolve-hostnames yes\n"),
    ),
  },
  {
    rule: sentinelGroupSane,
    breaks: "a failover timeout not above down-after",
    apply: editFile("sentinel.conf", (t) => {
      const downAfter = /^sentinel down-after-milliseconds \S+ (\d+)$/m.exec(t)![1];
      return t.replace(/^(sentinel failover-timeout \S+) \d+$/m, `$1 ${downAfter}`);
    }),
  },
  {
    rule: sentinelGroupSane,
    // The budget follows (a majority of four is three), so only the even count is wrong.
    breaks: "an even number of Sentinels (budget raised with them)",
    apply: chain(
      editInputs(SENTINELS, (p) => (p.spec.replicas = p.spec.replicas + 1)),
      editInputs(SENTINEL_BUDGET, (p) => (p.spec.minAvailable = p.spec.minAvailable + 1)),
    ),
  },
  {
    rule: sentinelGroupSane,
    breaks: "a quorum of 1 (one Sentinel alone fails the master over)",
    apply: editFile("sentinel.conf", (t) => t.replace(/^(sentinel monitor .*) \d+$/m, "$1 1")),
  },
  {
    rule: writesNeedReplica,
    breaks: "a master that takes writes with no replica",
    apply: editFile("redis.conf", (t) =>
      t.replace(/^min-replicas-to-write \d+$/m, "min-replicas-to-write 0"),
    ),
  },
  {
    rule: writesNeedReplica,
    breaks: "no bound on a replica's lag",
    apply: editFile("redis.conf", (t) =>
      t.replace(/^min-replicas-max-lag \d+$/m, "min-replicas-max-lag 0"),
    ),
  },
];
