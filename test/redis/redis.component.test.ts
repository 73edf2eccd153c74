/**
 * RedisSentinel alone under recording mocks, with settings unlike the stacks': no AOF, zones
 * preferred, five Sentinels, four nodes. And its argument check, which needs no synthesis.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { cpuCores, memoryBytes, redisSchema } from "../../config";
import {
  configMapName,
  dataVolumeClaims,
  zoneAntiAffinity,
  EXPORTER_PORT,
  RedisSentinel,
  renderPodFiles,
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

  it("names every problem at once, each after the last", () => {
    expect(() =>
      validateRedisSentinelArgs({
        ...bad({ sentinel: { ...settings.sentinel, quorum: 6 } }),
        baseName: "Cache_1",
      }),
    ).toThrow(/^RedisSentinel: settings\.sentinel\.quorum: [^;]+; baseName: expected a DNS label/);
  });

  it("refuses a base name that cannot become the pods' host names", () => {
    expect(() =>
      validateRedisSentinelArgs({ namespace: "x", settings, baseName: "Cache_1" }),
    ).toThrow(/baseName: expected a DNS label/);
    for (const baseName of ["1cache", "cache-", "-cache", "cache!", "cache.x"])
      expect(
        () => validateRedisSentinelArgs({ namespace: "x", settings, baseName }),
        baseName,
      ).toThrow(
        `baseName: expected a DNS label (lower-case letters, digits, dashes), got "${baseName}"`,
      );
    expect(() =>
      validateRedisSentinelArgs({ namespace: "x", settings, baseName: "c" }),
    ).not.toThrow();
    // The Sentinel StatefulSet (<base>-sentinel) is the longest set name: 52 at most, or its pods'
    // controller-revision-hash label (<set>-<10-character hash>) passes 63 and no pod is created.
    const longest = "c".repeat(52 - "-sentinel".length);
    expect(() =>
      validateRedisSentinelArgs({ namespace: "x", settings, baseName: longest }),
    ).not.toThrow();
    expect(() =>
      validateRedisSentinelArgs({ namespace: "x", settings, baseName: `${longest}c` }),
    ).toThrow(
      `baseName: expected a shorter name: ${longest}c-sentinel has 53 characters, at most 52`,
    );
    expect(() =>
      validateRedisSentinelArgs({ namespace: "x", settings, baseName: "c".repeat(50) }),
    ).toThrow(
      /baseName: expected a shorter name: c{50}-sentinel-headless has 68 characters, at most 63; c{50}-sentinel has 59 characters, at most 52$/,
    );
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

describe("the pods' files", () => {
  const files = renderPodFiles("vega-redis", "vega", settings);

  it("listen on every address of the pod: other pods reach Redis and the Sentinels by its IP", () => {
    for (const file of ["redis.conf", "sentinel.conf"])
      expect(files[file]!.split("\n"), file).toContain("bind 0.0.0.0");
  });

  it("name their ConfigMap by the prefix and 10 hex digits of their content", () => {
    const name = configMapName("vega-redis-files", files);
    expect(name).toMatch(/^vega-redis-files-[0-9a-f]{10}$/);
    const changed = { ...files, "redis.conf": `${files["redis.conf"]}# changed\n` };
    expect(configMapName("vega-redis-files", changed)).not.toBe(name);
  });
});

describe("RedisSentinel's objects, wired as Kubernetes resolves them", () => {
  const all = (type: string) =>
    result.resources.filter((r) => r.type === type).map((r) => r.inputs as Spec);
  const selects = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
    Object.entries(selector).every(([k, v]) => labels[k] === v);
  const sets = () => all("kubernetes:apps/v1:StatefulSet");
  const podsOf = (selector: Record<string, string>) =>
    sets().filter((set) => selects(selector, set.spec.template.metadata.labels));

  it("names its children <group>-<role>", () => {
    expect(result.childRoles(result.one("vega:redis:RedisSentinel"))).toEqual([
      "auth",
      "config",
      "ingress",
      "nodes",
      "nodes-headless",
      "nodes-pdb",
      "password",
      "sentinel-service",
      "sentinels",
      "sentinels-headless",
      "sentinels-pdb",
      "service-monitor",
    ]);
  });

  it("labels Redis and Sentinel pods apart, by the recommended name label", () => {
    const names = sets()
      .map((set) => [
        set.metadata.name,
        set.spec.template.metadata.labels["app.kubernetes.io/name"],
      ])
      .sort();
    const k8sNames = redisK8sNames("cache");
    expect(names).toEqual([
      [k8sNames.redis, "redis"],
      [k8sNames.sentinel, "redis-sentinel"],
    ]);
  });

  it("points every Service at one member's pods, and each port at a named container port", () => {
    const services = all("kubernetes:core/v1:Service");
    expect(services).toHaveLength(3);
    for (const service of services) {
      const [set, ...others] = podsOf(service.spec.selector);
      expect(others, service.metadata.name).toEqual([]);
      const containerPorts = (set!.spec.template.spec.containers as Spec[]).flatMap((c) =>
        (c.ports ?? []).map((p: Spec) => p.name),
      );
      for (const port of service.spec.ports as Spec[]) {
        expect(containerPorts, `${service.metadata.name} ${port.name}`).toContain(port.targetPort);
        expect(port.name).toBe(port.targetPort);
      }
    }
  });

  it("governs each StatefulSet by the headless Service of its own pods, rolling one pod at a time", () => {
    const services = all("kubernetes:core/v1:Service");
    for (const set of sets()) {
      const governing = services.find((s) => s.metadata.name === set.spec.serviceName)!;
      expect(governing.spec.clusterIP).toBe("None");
      expect(podsOf(governing.spec.selector).map((s) => s.metadata.name)).toEqual([
        set.metadata.name,
      ]);
      expect(set.spec.updateStrategy).toEqual({ type: "RollingUpdate" });
      expect(set.spec.template.metadata.labels).toMatchObject(set.spec.selector.matchLabels);
    }
  });

  it("gives each member a budget named as its StatefulSet, over its pods only", () => {
    for (const pdb of all("kubernetes:policy/v1:PodDisruptionBudget"))
      expect(podsOf(pdb.spec.selector.matchLabels).map((s) => s.metadata.name)).toEqual([
        pdb.metadata.name,
      ]);
  });

  it("scrapes both headless Services' metrics ports, and not the client Service", () => {
    const monitor = result.one("kubernetes:monitoring.coreos.com/v1:ServiceMonitor").inputs as Spec;
    const scraped = all("kubernetes:core/v1:Service").filter((s) =>
      selects(monitor.spec.selector.matchLabels, s.metadata.labels),
    );
    expect(scraped.map((s) => s.spec.clusterIP)).toEqual(["None", "None"]);
    for (const service of scraped)
      expect((service.spec.ports as Spec[]).map((p) => p.name)).toContain(
        monitor.spec.endpoints[0].port,
      );
  });

  it("keeps Redis nodes' claims when the StatefulSet is deleted or scaled in; Sentinels have none", () => {
    const k8sNames = redisK8sNames("cache");
    const nodes = sets().find((set) => set.metadata.name === k8sNames.redis);
    const sentinels = sets().find((set) => set.metadata.name === k8sNames.sentinel);
    expect(nodes!.spec.persistentVolumeClaimRetentionPolicy).toEqual({
      whenDeleted: "Retain",
      whenScaled: "Retain",
    });
    expect(sentinels!.spec).not.toHaveProperty("volumeClaimTemplates");
    expect(sentinels!.spec).not.toHaveProperty("persistentVolumeClaimRetentionPolicy");
  });

  it("generates a password of letters and digits only (the start-up script refuses others), in an Opaque Secret", () => {
    expect(result.one("random:index/randomPassword:RandomPassword").inputs).toMatchObject({
      length: 32,
      special: false,
    });
    expect(result.one("kubernetes:core/v1:Secret").inputs.type).toBe("Opaque");
  });

  it("names the files' ConfigMap <base>-config-<hash of the files>", () => {
    const configMap = result.one("kubernetes:core/v1:ConfigMap").inputs as Spec;
    expect(configMap.metadata.name).toBe(configMapName("cache-config", configMap.data));
  });
});

describe("RedisSentinel's pods, as the kubelet runs them", () => {
  const pods = () =>
    result.resources
      .filter((r) => r.type === "kubernetes:apps/v1:StatefulSet")
      .map((r) => (r.inputs as Spec).spec.template.spec as Spec);
  const containers = () => pods().flatMap((pod) => pod.containers as Spec[]);

  it("drops every capability and privilege in every container", () => {
    for (const c of containers())
      expect(c.securityContext, c.name).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
      });
  });

  it("requests CPU and memory for every container and caps its memory at no less than it asks", () => {
    for (const c of containers()) {
      const { requests, limits } = c.resources;
      expect(cpuCores(requests.cpu), c.name).toBeGreaterThan(0);
      expect(memoryBytes(limits.memory), c.name).toBeGreaterThanOrEqual(
        memoryBytes(requests.memory),
      );
      expect(memoryBytes(requests.memory), c.name).toBeGreaterThan(0);
    }
  });

  it("points each exporter at its own pod's Redis or Sentinel, with the group's password", () => {
    for (const pod of pods()) {
      const [main, exporter] = pod.containers as Spec[];
      expect(exporter!.env[0]).toEqual({
        name: "REDIS_ADDR",
        value: `redis://localhost:${main!.ports[0].containerPort}`,
      });
      expect(exporter!.env[1]).toEqual(main!.env[0]);
    }
  });

  it("reads the password from a key the Secret holds", () => {
    const secret = result.one("kubernetes:core/v1:Secret").inputs as Spec;
    for (const c of containers()) {
      const ref = (c.env as Spec[]).find((e) => e.name === "REDIS_PASSWORD")!.valueFrom
        .secretKeyRef;
      expect(ref.name).toBe(secret.metadata.name);
      expect(Object.keys(secret.stringData)).toContain(ref.key);
      expect(ref.key).toMatch(/^[-._a-zA-Z0-9]+$/); // a Secret key Kubernetes accepts
    }
  });

  it("runs the script from where the ConfigMap is mounted, and Redis keeps its files on the data volume", () => {
    for (const pod of pods()) {
      const [main] = pod.containers as Spec[];
      const mountOf = (volume: string) =>
        (main!.volumeMounts as Spec[]).find((m) => m.name === volume)?.mountPath;
      const templates = (pod.volumes as Spec[]).find((v) => v.configMap)!.name;
      for (const command of [
        main!.command,
        main!.startupProbe.exec.command,
        main!.readinessProbe.exec.command,
      ])
        expect(command[1]).toBe(`${mountOf(templates)}/vega-redis.sh`);
      if (main!.name === "redis") {
        const conf = (result.one("kubernetes:core/v1:ConfigMap").inputs as Spec).data[
          "redis.conf"
        ] as string;
        expect(conf.split("\n")).toContain(`dir ${mountOf("data")}`);
      }
    }
  });

  it("mounts only volumes the pod has: the files read-only, the live copy where the script writes it, data on Redis only", () => {
    for (const pod of pods()) {
      const [main] = pod.containers as Spec[];
      const claims = main!.name === "redis" ? ["data"] : [];
      const volumes = [...(pod.volumes as Spec[]).map((v) => v.name), ...claims];
      const mounts = main!.volumeMounts as Spec[];
      for (const m of mounts) expect(volumes, m.name).toContain(m.name);
      const file = (name: string) => (main!.env as Spec[]).find((e) => e.name === name)!.value;
      const mountOf = (path: string) =>
        mounts.find((m) => m.mountPath === path.slice(0, path.lastIndexOf("/")));
      // Kubernetes takes only absolute mount paths.
      for (const m of mounts) expect(m.mountPath, m.name).toMatch(/^\/[^/]/);
      expect(mountOf(file("CONFIG_TEMPLATE"))).toMatchObject({ readOnly: true });
      const live = mountOf(file("CONFIG_FILE"))!;
      expect(live.readOnly).toBeFalsy();
      // The live copy holds the password: in memory, and small.
      expect((pod.volumes as Spec[]).find((v) => v.name === live.name)).toEqual({
        name: live.name,
        emptyDir: { medium: "Memory", sizeLimit: "4Mi" },
      });
      const volumeNames = (pod.volumes as Spec[]).map((v) => v.name);
      if (main!.name === "sentinel") expect(volumeNames).not.toContain("data");
      expect(
        mounts.some((m) => m.name === "data"),
        main!.name,
      ).toBe(main!.name === "redis");
    }
  });

  it("listens on the port its own file names, and gives Redis more memory than maxmemory", () => {
    const data = (result.one("kubernetes:core/v1:ConfigMap").inputs as Spec).data;
    for (const pod of pods()) {
      const [main] = pod.containers as Spec[];
      const template = (main!.env as Spec[]).find((e) => e.name === "CONFIG_TEMPLATE")!.value;
      const file = data[template.slice(template.lastIndexOf("/") + 1)] as string;
      expect(file, main!.name).toContain(`\nport ${main!.ports[0].containerPort}\n`);
      expect(file.startsWith(`# ${main!.name}.conf`), main!.name).toBe(true);
    }
    const redis = containers().find((c) => c.name === "redis")!;
    expect(redis.resources.limits.memory).toBe(`${settings.memory.limitMb}Mi`);
    expect(redis.resources.requests).toEqual({
      cpu: `${settings.memory.cpuMillis}m`,
      memory: `${settings.memory.limitMb}Mi`,
    });
    expect(settings.memory.limitMb).toBeGreaterThan(settings.memory.maxmemoryMb);
    // A Sentinel keeps a few kilobytes of state: a small, fixed footprint, not Redis's.
    expect(containers().find((c) => c.name === "sentinel")!.resources).toEqual({
      requests: { cpu: "50m", memory: "64Mi" },
      limits: { memory: "128Mi" },
    });
  });

  it("runs every pod as the redis image's non-root user under the runtime's seccomp profile", () => {
    for (const pod of pods())
      expect(pod.securityContext).toEqual({
        runAsUser: 999,
        runAsGroup: 999,
        fsGroup: 999,
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
      });
  });

  it("gives a restarted master its hand-over and AOF load time to start, and not much more", () => {
    const handover = Math.ceil(settings.sentinel.failoverTimeoutMs / 1000);
    for (const c of containers().filter((c) => c.startupProbe)) {
      const { periodSeconds, failureThreshold } = c.startupProbe;
      expect(periodSeconds * failureThreshold).toBeGreaterThanOrEqual(handover + 120);
      expect(periodSeconds * (failureThreshold - 1)).toBeLessThan(handover + 120);
    }
  });
});

describe("zoneAntiAffinity", () => {
  it("with zones required: one pod per node and per zone, nothing merely preferred", () => {
    const affinity = zoneAntiAffinity({ app: "x" }, "required").podAntiAffinity!;
    expect(affinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { app: "x" } }, topologyKey: "kubernetes.io/hostname" },
        {
          labelSelector: { matchLabels: { app: "x" } },
          topologyKey: "topology.kubernetes.io/zone",
        },
      ],
    });
  });
});

describe("dataVolumeClaims", () => {
  it("asks for the configured storage class and size, once per pod, read-write by one node", () => {
    const aof = redisSchema.parse({
      persistence: { aof: true, storageClass: "gp3", storageGi: 20 },
    });
    expect(dataVolumeClaims(aof)).toEqual([
      {
        metadata: { name: "data" },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: "gp3",
          resources: { requests: { storage: "20Gi" } },
        },
      },
    ]);
  });
});
