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
const OTHER_PARENT = "urn:pulumi:test::vega-ha::vega:redis:RedisSentinel::other";
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

describe("the Redis rules at their edges", () => {
  const secretRef = { secretKeyRef: { name: "s", key: "k" } };

  it("judges init containers and every credential name, and wants the Secret even beside a literal", async () => {
    const workload = rec("kubernetes:apps/v1:StatefulSet", "w", {
      spec: {
        template: {
          spec: {
            initContainers: [{ name: "init", env: [{ name: "APIKEY", value: "k" }] }],
            containers: [
              {
                name: "main",
                env: [
                  { name: "DB_PASSWORD" },
                  { name: "AUTH_HEADER", value: "x", valueFrom: secretRef },
                  { name: "SESSION_SECRET", valueFrom: {} },
                  { name: "API_KEY", valueFrom: secretRef },
                ],
              },
              { name: "sidecar" },
            ],
          },
        },
      },
    });
    expect(await messages(credentialEnvFromSecret, [workload])).toEqual(
      [
        "init env APIKEY",
        "main env DB_PASSWORD",
        "main env AUTH_HEADER",
        "main env SESSION_SECRET",
      ].map((c) => `container ${c} must come from valueFrom.secretKeyRef, not a literal`),
    );
  });

  it("reads password directives however they are spaced, and a bare shell variable as no literal", async () => {
    const conf = [
      "  requirepass   hunter2",
      "masterauth $REDIS_PASSWORD",
      "sentinel  auth-pass   mymaster  hunter2",
      "sentinel  sentinel-pass  hunter2",
    ].join("\n");
    expect(await messages(noPasswordInConfigMap, [configMap("cm", { "x.conf": conf })])).toEqual([
      "data.x.conf sets requirepass to a literal password",
      "data.x.conf sets sentinel  auth-pass   mymaster to a literal password",
      "data.x.conf sets sentinel  sentinel-pass to a literal password",
    ]);
    expect(
      await messages(noPasswordInConfigMap, [
        configMap("cm", { "x.conf": "requirepass pa$$word\nsentinel sentinel-pass s3cret" }),
      ]),
    ).toEqual([
      "data.x.conf sets requirepass to a literal password",
      "data.x.conf sets sentinel sentinel-pass to a literal password",
    ]);
  });

  it("leaves Secrets to hold passwords, and other resources with a redis.conf alone", async () => {
    const secret = rec("kubernetes:core/v1:Secret", "s", {
      data: { password: "x", "redis.conf": "requirepass hunter2\n" },
    });
    expect(await messages(noPasswordInConfigMap, [secret])).toEqual([]);
    expect(await messages(writesNeedReplica, [secret])).toEqual([]);
    expect(
      await messages(sentinelGroupSane, [
        rec("kubernetes:core/v1:Secret", "s", { data: { "sentinel.conf": "port 26379\n" } }),
      ]),
    ).toEqual([]);
  });

  it("takes a ConfigMap with no data as holding no config", async () => {
    const empty = configMap("empty", undefined);
    expect(await messages(noPasswordInConfigMap, [empty])).toEqual([]);
    expect(await messages(writesNeedReplica, [empty])).toEqual([]);
    expect(await messages(sentinelGroupSane, [empty])).toEqual([]);
  });

  it("reads a redis.conf with no replica directives as 0, and takes a lag of exactly 1", async () => {
    expect(
      await messages(writesNeedReplica, [configMap("cm", { "redis.conf": "port 6379\n" })]),
    ).toEqual([
      "redis.conf: min-replicas-to-write 0 (at least 1) and min-replicas-max-lag 0 (at least 1)",
    ]);
    expect(
      await messages(writesNeedReplica, [
        configMap("cm", { "redis.conf": "min-replicas-to-write 1\nmin-replicas-max-lag 1\n" }),
      ]),
    ).toEqual([]);
  });

  /** A sentinel.conf for group `g` with quorum `quorum`, flags first. */
  const conf = (quorum: number, lines: string[] = []) =>
    [
      "sentinel resolve-hostnames yes",
      "sentinel announce-hostnames yes",
      `sentinel monitor g n0 6379 ${quorum}`,
      "sentinel down-after-milliseconds g 5000",
      "sentinel failover-timeout g 60000",
      ...lines,
    ].join("\n");

  it("takes hostnames on the first line, indented lines, and a quorum equal to the Sentinels", async () => {
    const indented = conf(3)
      .split("\n")
      .map((l) => `  ${l}`)
      .join("\n");
    expect(
      await messages(sentinelGroupSane, [
        configMap("cm", { "sentinel.conf": indented }),
        statefulSet("sentinels", 3),
      ]),
    ).toEqual([]);
  });

  it("flags a sentinel.conf that monitors nothing, and one without down-after or failover timeout", async () => {
    expect(
      await messages(sentinelGroupSane, [
        configMap("none", { "sentinel.conf": "port 26379\n" }),
        configMap("bare", {
          "sentinel.conf": [
            "sentinel resolve-hostnames yes",
            "sentinel announce-hostnames yes",
            "sentinel monitor g n0 6379 2",
          ].join("\n"),
        }),
        statefulSet("sentinels", 3),
      ]),
    ).toEqual([
      "none: sentinel.conf monitors no master",
      "bare: failover-timeout (NaN) must exceed down-after-milliseconds (NaN)",
    ]);
  });

  it("flags one Sentinel and a quorum of 1, and counts only a StatefulSet beside it that runs the Sentinel", async () => {
    expect(
      await messages(sentinelGroupSane, [
        configMap("cm", { "sentinel.conf": conf(1) }),
        statefulSet("sentinels", 1),
      ]),
    ).toEqual([
      "sentinels: 1 Sentinels; a group needs an odd number, at least 3",
      "cm: quorum 1 must be from 2 to the 1 Sentinels",
    ]);
    const elsewhere = recordedResource(
      "kubernetes:apps/v1:StatefulSet",
      "other-sentinels",
      { spec: { replicas: 3, ...podTemplate([]) } },
      { parent: OTHER_PARENT },
    );
    const deployment = rec("kubernetes:apps/v1:Deployment", "deploy", {
      spec: { replicas: 3, ...podTemplate([]) },
    });
    const redis = rec("kubernetes:apps/v1:StatefulSet", "redis", {
      spec: { replicas: 3, ...podTemplate([], ["sh", "vega-redis.sh", "start-redis"]) },
    });
    // The parents as the recording holds them: component resources.
    const components = [PARENT, OTHER_PARENT].map((urn) =>
      recordedResource(
        "vega:redis:RedisSentinel",
        urn.split("::").pop()!,
        {},
        { urn, custom: false },
      ),
    );
    expect(
      await messages(sentinelGroupSane, [
        ...components,
        configMap("cm", { "sentinel.conf": conf(2) }),
        elsewhere,
        deployment,
        redis,
      ]),
    ).toEqual(["cm: no Sentinel StatefulSet beside this sentinel.conf"]);
  });
});
