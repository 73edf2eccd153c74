/**
 * Cache guardrails (seed 17.1, 17.5): passwords only through Secrets, a Sentinel group that can
 * actually fail over, and a master that never takes writes a failover would lose.
 */
import type {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { readDirective } from "../components/redis/conf";
import { podSpecsOf } from "./edge";

/** Env var names that carry credentials. */
const CREDENTIAL_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|API_?KEY|AUTH/i;

/** Redis directives whose value is a password. */
const PASSWORD_DIRECTIVE =
  /^\s*(requirepass|masterauth|sentinel\s+auth-pass\s+\S+|sentinel\s+sentinel-pass)\s+(\S+)/gim;

interface Container {
  name?: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: unknown } }[];
}

/** Containers (init containers too) of a workload's pod spec; none for other types. */
function containersOf(r: Pick<PolicyResource, "type" | "props">): Container[] {
  return podSpecsOf(r).flatMap((pod) => [...(pod.initContainers ?? []), ...(pod.containers ?? [])]);
}

export const credentialEnvFromSecret: ResourceValidationPolicy = {
  name: "vega-credential-env-from-secret",
  description:
    "Container env vars named like a password, token or secret take their value from a Secret (valueFrom.secretKeyRef), never a literal.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Take the variable from a Secret: `valueFrom: { secretKeyRef: { name, key } }` instead of `value`.",
  validateResource: (args, report) => {
    for (const c of containersOf(args)) {
      for (const e of c.env ?? []) {
        if (!CREDENTIAL_NAME.test(e.name)) continue;
        if (e.value !== undefined || !e.valueFrom?.secretKeyRef)
          report(
            `container ${c.name} env ${e.name} must come from valueFrom.secretKeyRef, not a literal`,
          );
      }
    }
  },
};

// Rules see secrets as plain values, as under `pulumi preview` (policies/runner.ts): they judge
// a ConfigMap by what it says. A value copied from a Secret: policies/core.ts.
export const noPasswordInConfigMap: ResourceValidationPolicy = {
  name: "vega-no-password-in-configmap",
  description:
    "No ConfigMap holds a password: no key named like a credential, no requirepass, masterauth or sentinel auth-pass with a literal value.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Keep the password in a Secret; in the rendered config write a shell variable ("$REDIS_PASSWORD") the start-up script fills in.',
  validateResource: (args, report) => {
    if (args.type !== "kubernetes:core/v1:ConfigMap") return;
    for (const [key, value] of Object.entries((args.props.data ?? {}) as Record<string, unknown>)) {
      if (CREDENTIAL_NAME.test(key)) {
        report(`data.${key} is named like a credential: keep it in a Secret`);
        continue;
      }
      for (const m of String(value).matchAll(PASSWORD_DIRECTIVE)) {
        // A shell variable ("$REDIS_PASSWORD") is filled in at start from the Secret: fine.
        if (!/^"?\$/.test(m[2]!)) report(`data.${key} sets ${m[1]} to a literal password`);
      }
    }
  },
};

/** The StatefulSet beside a ConfigMap (same parent component) whose containers run `command`. */
function siblingRunning(
  all: PolicyResource[],
  of: PolicyResource,
  command: string,
): PolicyResource | undefined {
  return all.find(
    (r) =>
      r.type === "kubernetes:apps/v1:StatefulSet" &&
      r.parent?.urn === of.parent?.urn &&
      containersOf(r).some((c) => (c.command ?? []).includes(command)),
  );
}

export const sentinelGroupSane: StackValidationPolicy = {
  name: "vega-redis-sentinel-sane",
  description:
    "Each Sentinel group has an odd number (3 or more) of Sentinels, a quorum from 2 to that number, hostnames on, and a failover timeout above down-after.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Run an odd number (3 or more) of Sentinels, a quorum from 2 to that number, resolve/announce-hostnames before `sentinel monitor`, and a failover-timeout above down-after-milliseconds (vega-ha:redis).",
  configSchema: {
    properties: {
      minSentinels: {
        type: "integer",
        minimum: 3,
        default: 3,
        description: "The fewest Sentinels a group may run (always an odd number).",
      },
    },
  },
  validateStack: (args, report) => {
    const { minSentinels } = args.getConfig<{ minSentinels: number }>();
    for (const cm of args.resources.filter(
      (r) =>
        r.type === "kubernetes:core/v1:ConfigMap" &&
        typeof r.props.data?.["sentinel.conf"] === "string",
    )) {
      const conf = cm.props.data["sentinel.conf"] as string;
      const lines = conf.split("\n").map((l) => l.trim());
      const monitor = readDirective(conf, "sentinel monitor");
      if (!monitor) {
        report(`${cm.name}: sentinel.conf monitors no master`, cm.urn);
        continue;
      }
      const [group, , , quorumText] = monitor;
      const quorum = Number(quorumText);
      const monitorAt = lines.findIndex((l) => l.startsWith("sentinel monitor "));
      for (const flag of ["sentinel resolve-hostnames yes", "sentinel announce-hostnames yes"]) {
        const at = lines.indexOf(flag);
        if (at < 0 || at > monitorAt)
          report(`${cm.name}: sentinel.conf needs "${flag}" before "sentinel monitor"`, cm.urn);
      }
      const downAfter = Number(
        readDirective(conf, `sentinel down-after-milliseconds ${group}`)?.[0],
      );
      const failoverTimeout = Number(
        readDirective(conf, `sentinel failover-timeout ${group}`)?.[0],
      );
      if (!(failoverTimeout > downAfter))
        report(
          `${cm.name}: failover-timeout (${failoverTimeout}) must exceed down-after-milliseconds (${downAfter})`,
          cm.urn,
        );
      const sentinels = siblingRunning(args.resources, cm, "start-sentinel");
      if (!sentinels) {
        report(`${cm.name}: no Sentinel StatefulSet beside this sentinel.conf`, cm.urn);
        continue;
      }
      const count = Number(sentinels.props.spec?.replicas);
      if (!(count >= minSentinels && count % 2 === 1))
        report(
          `${sentinels.name}: ${count} Sentinels; a group needs an odd number, at least ${minSentinels}`,
          sentinels.urn,
        );
      if (!(quorum >= 2 && quorum <= count))
        report(`${cm.name}: quorum ${quorum} must be from 2 to the ${count} Sentinels`, cm.urn);
    }
  },
};

export const writesNeedReplica: ResourceValidationPolicy = {
  name: "vega-redis-writes-need-replica",
  description:
    "A Redis master accepts writes only with a current replica (min-replicas-to-write >= 1), so an isolated master cannot take writes a failover loses.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set min-replicas-to-write and min-replicas-max-lag to at least 1 in redis.conf (vega-ha:redis).",
  configSchema: {
    properties: {
      minReplicasToWrite: {
        type: "integer",
        minimum: 1,
        default: 1,
        description: "The fewest current replicas a master needs to accept a write.",
      },
    },
  },
  validateResource: (args, report) => {
    if (args.type !== "kubernetes:core/v1:ConfigMap") return;
    const conf = args.props.data?.["redis.conf"];
    if (typeof conf !== "string") return;
    const { minReplicasToWrite } = args.getConfig<{ minReplicasToWrite: number }>();
    const min = Number(readDirective(conf, "min-replicas-to-write")?.[0] ?? 0);
    const lag = Number(readDirective(conf, "min-replicas-max-lag")?.[0] ?? 0);
    if (!(min >= minReplicasToWrite && lag >= 1))
      report(
        `redis.conf: min-replicas-to-write ${min} (at least ${minReplicasToWrite}) and min-replicas-max-lag ${lag} (at least 1)`,
      );
  },
};

export const redisPolicies = [
  credentialEnvFromSecret,
  noPasswordInConfigMap,
  sentinelGroupSane,
  writesNeedReplica,
];
