import { describe, expect, it } from "vitest";
import { redisSchema } from "../../config";
import { renderRedisConf, renderSentinelConf } from "../../components/redis";
import {
  credentialEnvFromSecret,
  noPasswordInConfigMap,
  sentinelGroupSane,
  writesNeedReplica,
} from "../../policies/redis";
import { runPolicies } from "../../policies/runner";
import type { VegaPolicy } from "../../policies/rule";
import type { RecordedResource } from "../harness";
import { recordedResource } from "../harness/records";

const PARENT = "urn:pulumi:test::vega-ha::vega:redis:RedisSentinel::cache";
const rec = (type: string, name: string, inputs: Record<string, unknown>): RecordedResource =>
  recordedResource(type, name, inputs, { parent: PARENT });
const podTemplate = (env: unknown[], command = ["sh", "vega-redis.sh", "start-sentinel"]) => ({
  template: { spec: { containers: [{ name: "main", command, env }] } },
});
const statefulSet = (name: string, replicas: number, env: unknown[] = []) =>
  rec("kubernetes:apps/v1:StatefulSet", name, { spec: { replicas, ...podTemplate(env) } });
const configMap = (name: string, data: unknown) =>
  rec("kubernetes:core/v1:ConfigMap", name, { data });

async function messages(policy: VegaPolicy, resources: RecordedResource[]): Promise<string[]> {
  return (await runPolicies(resources, {}, [policy])).violations.map((v) => v.message);
}

const settings = redisSchema.parse({});
const topology = {
  masterGroup: "g",
  nodes: [{ host: "n0", port: 6379 }],
  sentinels: [{ host: "s0", port: 26379 }],
};
const sentinelConf = renderSentinelConf(
  { port: 26379, bind: ["0.0.0.0"], dir: "/tmp" },
  topology,
  settings,
);

describe("vega-credential-env-from-secret", () => {
  it("flags a literal password, token or secret in any workload's env, and passes secretKeyRef", async () => {
    const fromSecret = {
      name: "REDIS_PASSWORD",
      valueFrom: { secretKeyRef: { name: "s", key: "password" } },
    };
    expect(
      await messages(credentialEnvFromSecret, [
        statefulSet("ok", 3, [fromSecret, { name: "CONFIG_FILE", value: "/etc/x" }]),
        statefulSet("literal", 3, [{ name: "REDIS_PASSWORD", value: "hunter2" }]),
        rec("kubernetes:batch/v1:CronJob", "job", {
          spec: { jobTemplate: { spec: podTemplate([{ name: "API_TOKEN", value: "t" }]) } },
        }),
      ]),
    ).toEqual([
      "container main env REDIS_PASSWORD must come from valueFrom.secretKeyRef, not a literal",
      "container main env API_TOKEN must come from valueFrom.secretKeyRef, not a literal",
    ]);
  });
});

describe("vega-no-password-in-configmap", () => {
  it("flags password directives with a literal value and keys named like a credential; passes a shell variable filled in at start", async () => {
    expect(
      await messages(noPasswordInConfigMap, [
        configMap("ok", {
          "vega-redis.sh":
            'install_config "requirepass \\"$REDIS_PASSWORD\\""\nrequirepass "$REDIS_PASSWORD"',
        }),
        configMap("literal", {
          "redis.conf": "port 6379\nrequirepass hunter2\n",
          "sentinel.conf": "sentinel auth-pass g hunter2\n",
        }),
        // Under the engine a secret output arrives as its plain value: judged by its key.
        configMap("credential-key", { password: "x8Jq2LrT0vWm4Zc" }),
      ]),
    ).toEqual([
      "data.redis.conf sets requirepass to a literal password",
      "data.sentinel.conf sets sentinel auth-pass g to a literal password",
      "data.password is named like a credential: keep it in a Secret",
    ]);
  });
});

describe("vega-redis-sentinel-sane", () => {
  it("passes the rendered sentinel.conf beside three Sentinels", async () => {
    expect(
      await messages(sentinelGroupSane, [
        configMap("cm", { "sentinel.conf": sentinelConf }),
        statefulSet("sentinels", 3),
      ]),
    ).toEqual([]);
  });

  it("flags a quorum above the Sentinel count, an even count, hostnames off and a short failover timeout", async () => {
    const broken = sentinelConf
      .replace(/^sentinel monitor g n0 6379 2$/m, "sentinel monitor g n0 6379 5")
      .replace("sentinel announce-hostnames yes\n", "")
      .replace(/failover-timeout g \d+/, "failover-timeout g 10");
    expect(
      await messages(sentinelGroupSane, [
        configMap("cm", { "sentinel.conf": broken }),
        statefulSet("sentinels", 4),
      ]),
    ).toEqual([
      'cm: sentinel.conf needs "sentinel announce-hostnames yes" before "sentinel monitor"',
      `cm: failover-timeout (10) must exceed down-after-milliseconds (${settings.sentinel.downAfterMs})`,
      "sentinels: 4 Sentinels; a group needs an odd number, at least 3",
      "cm: quorum 5 must be from 2 to the 4 Sentinels",
    ]);
  });

  it("flags a sentinel.conf with no Sentinels beside it", async () => {
    expect(
      await messages(sentinelGroupSane, [configMap("cm", { "sentinel.conf": sentinelConf })]),
    ).toEqual(["cm: no Sentinel StatefulSet beside this sentinel.conf"]);
  });
});

describe("vega-redis-writes-need-replica", () => {
  it("passes the rendered redis.conf and flags one that lets a lone master take writes", async () => {
    const conf = renderRedisConf({ port: 6379, bind: ["0.0.0.0"], dir: "/data" }, settings);
    expect(await messages(writesNeedReplica, [configMap("ok", { "redis.conf": conf })])).toEqual(
      [],
    );
    expect(
      await messages(writesNeedReplica, [
        configMap("bad", {
          "redis.conf": conf.replace(/^min-replicas-to-write \d+$/m, "min-replicas-to-write 0"),
        }),
      ]),
    ).toEqual([
      `redis.conf: min-replicas-to-write 0 (at least 1) and min-replicas-max-lag ${settings.replication.minReplicasMaxLagSeconds} (at least 1)`,
    ]);
  });
});
