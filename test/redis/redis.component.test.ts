/**
 * RedisSentinel alone under recording mocks, with settings unlike the stacks': no AOF, zones
 * preferred, five Sentinels, four nodes. And its argument check, which needs no synthesis.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { redisSchema } from "../../config";
import {
  EXPORTER_PORT,
  RedisSentinel,
  redisK8sNames,
  validateRedisSentinelArgs,
} from "../../components/redis";
import { synth, type Synth } from "../harness";

type Spec = Record<string, any>;
const settings = redisSchema.parse({
  nodes: 4,
  sentinel: { count: 5, quorum: 3 },
  replication: { minReplicasToWrite: 2 },
  persistence: { aof: false },
  zoneSpread: "preferred",
  clusterDomain: "cluster.example",
  metrics: {
    scraperNamespaceLabels: { "team.example/monitoring": "yes" },
    scraperPodLabels: { "app.kubernetes.io/name": "prometheus" },
  },
});

let result: Synth;
let outputs: { sentinelAddress: string; masterGroup: string; passwordSecretName: string };
beforeAll(async () => {
  result = await synth(async () => {
    const group = new RedisSentinel("cache", { namespace: "team-x", settings, baseName: "cache" });
    return {
      sentinelAddress: group.sentinelAddress,
      masterGroup: group.masterGroup,
      passwordSecretName: group.passwordSecretName,
    };
  });
  outputs = result.outputs as typeof outputs;
});

describe("RedisSentinel", () => {
  it("outputs the Sentinel service address and the master group for clients", () => {
    expect(outputs.sentinelAddress).toBe("cache-sentinel.team-x.svc.cluster.example:26379");
    expect(outputs.masterGroup).toBe(settings.masterGroup);
    expect(outputs.passwordSecretName).toBe(redisK8sNames("cache").auth);
  });

  it("without AOF: no volume claims, the data directory is an emptyDir", () => {
    const nodes = result.one("kubernetes:apps/v1:StatefulSet", "cache-nodes").inputs as Spec;
    expect(nodes.spec.volumeClaimTemplates).toEqual([]);
    expect(nodes.spec.template.spec.volumes).toContainEqual({ name: "data", emptyDir: {} });
    expect(
      (result.one("kubernetes:core/v1:ConfigMap").inputs as Spec).data["redis.conf"],
    ).toContain("appendonly no");
  });

  it("with zones preferred: never two pods on a node, zones spread when possible", () => {
    const affinity = (
      result.one("kubernetes:apps/v1:StatefulSet", "cache-sentinels").inputs as Spec
    ).spec.template.spec.affinity.podAntiAffinity;
    expect(
      affinity.requiredDuringSchedulingIgnoredDuringExecution.map((t: Spec) => t.topologyKey),
    ).toEqual(["kubernetes.io/hostname"]);
    expect(affinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      expect.objectContaining({
        podAffinityTerm: expect.objectContaining({ topologyKey: "topology.kubernetes.io/zone" }),
      }),
    ]);
  });

  it("sizes the budgets from the settings: a Sentinel majority, the master plus the replicas writes need", () => {
    expect(
      (result.one("kubernetes:policy/v1:PodDisruptionBudget", "cache-sentinels-pdb").inputs as Spec)
        .spec.minAvailable,
    ).toBe(3); // a strict majority of the 5 Sentinels
    expect(
      (result.one("kubernetes:policy/v1:PodDisruptionBudget", "cache-nodes-pdb").inputs as Spec)
        .spec.minAvailable,
    ).toBe(3);
  });

  it("admits the configured scrapers, namespace AND pods, to the metrics port only", () => {
    const policy = result.one("kubernetes:networking.k8s.io/v1:NetworkPolicy").inputs as Spec;
    expect(policy.metadata).toMatchObject({ name: "cache", namespace: "team-x" });
    expect(policy.spec.ingress[1]).toEqual({
      from: [
        {
          namespaceSelector: { matchLabels: settings.metrics.scraperNamespaceLabels },
          podSelector: { matchLabels: settings.metrics.scraperPodLabels },
        },
      ],
      ports: [{ protocol: "TCP", port: EXPORTER_PORT }],
    });
  });

  it("lists every member of the group in the script, by its host name in this namespace and domain", () => {
    const script = (result.one("kubernetes:core/v1:ConfigMap").inputs as Spec).data[
      "vega-redis.sh"
    ] as string;
    expect(script).toContain("cache-3.cache-headless.team-x.svc.cluster.example:6379'");
    expect(script).toContain(
      "cache-sentinel-4.cache-sentinel-headless.team-x.svc.cluster.example:26379'",
    );
    expect(script).toContain("QUORUM=3");
  });
});

describe("validateRedisSentinelArgs", () => {
  const bad = (over: Record<string, unknown>) => ({
    namespace: "x",
    settings: { ...settings, ...over } as typeof settings,
  });
  it("refuses settings the config would refuse, naming each", () => {
    expect(() =>
      validateRedisSentinelArgs(bad({ sentinel: { ...settings.sentinel, quorum: 6 } })),
    ).toThrow(/settings\.sentinel\.quorum: expected at most 5/);
    expect(() =>
      validateRedisSentinelArgs(bad({ sentinel: { ...settings.sentinel, count: 4, quorum: 2 } })),
    ).toThrow(/settings\.sentinel\.count: expected an odd number/);
    expect(() =>
      validateRedisSentinelArgs(
        bad({ sentinel: { ...settings.sentinel, failoverTimeoutMs: 1000 } }),
      ),
    ).toThrow(/settings\.sentinel\.failoverTimeoutMs/);
  });

  it("refuses a base name that cannot become the pods' host names", () => {
    expect(() =>
      validateRedisSentinelArgs({ namespace: "x", settings, baseName: "Cache_1" }),
    ).toThrow(/baseName: expected a DNS label/);
    expect(() =>
      validateRedisSentinelArgs({ namespace: "x", settings, baseName: "c".repeat(50) }),
    ).toThrow(/baseName: expected a shorter name/);
  });

  it("throws before any resource exists", () => {
    expect(
      () =>
        new RedisSentinel(
          "nope",
          bad({ nodes: 4, replication: { ...settings.replication, minReplicasToWrite: 4 } }),
        ),
    ).toThrow(/minReplicasToWrite/);
  });
});
