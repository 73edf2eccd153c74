/**
 * The Redis group as both stacks synthesise it from their real config files. Expectations come
 * from each stack's parsed config, never from copies of its values.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { sentinelMajority, type RedisConfig, type StackConfig } from "../../config";
import {
  configMapName,
  EXPORTER_PORT,
  PASSWORD_KEY,
  REDIS_PORT,
  redisK8sNames,
  SCRIPT_NAME,
  SENTINEL_PORT,
  TEMPLATE_DIR,
} from "../../components/redis";
import { redisPlanExtension } from "../../components/redis/plan";
import { redisPolicies } from "../../policies/redis";
import { runPolicies } from "../../policies/runner";
import { computedOutputs } from "../../tools/synth/computed";
import { REDACTED, stackConfig, type RecordedResource, type Synth } from "../harness";

type Spec = Record<string, any>;
const podSpec = (sts: RecordedResource): Spec => (sts.inputs as Spec).spec.template.spec;
const mainContainer = (sts: RecordedResource): Spec => podSpec(sts).containers[0];

export function describeRedisInStack(stack: "primary" | "dr", get: () => Synth): void {
  let synth: Synth;
  let config: StackConfig;
  let settings: RedisConfig;
  const names = redisK8sNames("vega-redis");

  beforeAll(() => {
    config = stackConfig(stack);
    settings = config.redis;
    synth = get();
  });

  const statefulSet = (suffix: "nodes" | "sentinels") =>
    synth.one("kubernetes:apps/v1:StatefulSet", `-redis-${suffix}`);
  const configMap = () => synth.one("kubernetes:core/v1:ConfigMap", "-redis-config");
  const files = () => (configMap().inputs as Spec).data as Record<string, string>;
  const hostOf = (set: string, svc: string, i: number) =>
    `${set}-${i}.${svc}.${config.kubernetes.namespace}.svc.${settings.clusterDomain}`;

  describe(`${stack} stack: Redis with Sentinel`, () => {
    it("is one RedisSentinel inside the region, every Kubernetes object its child", () => {
      const group = synth.one("vega:redis:RedisSentinel");
      expect(synth.parentOf(group)?.type).toBe("vega:region:VegaRegion");
      const children = synth
        .childrenOf(group)
        .map((r) => r.type)
        .sort();
      expect(children).toEqual([
        "kubernetes:apps/v1:StatefulSet",
        "kubernetes:apps/v1:StatefulSet",
        "kubernetes:core/v1:ConfigMap",
        "kubernetes:core/v1:Secret",
        "kubernetes:core/v1:Service",
        "kubernetes:core/v1:Service",
        "kubernetes:core/v1:Service",
        "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "kubernetes:policy/v1:PodDisruptionBudget",
        "kubernetes:policy/v1:PodDisruptionBudget",
        "random:index/randomPassword:RandomPassword",
      ]);
    });

    it("runs the configured number of Redis nodes and Sentinels, in parallel, behind headless services", () => {
      const nodes = statefulSet("nodes").inputs as Spec;
      const sentinels = statefulSet("sentinels").inputs as Spec;
      expect(nodes.spec).toMatchObject({
        replicas: settings.nodes,
        serviceName: names.redisHeadless,
        podManagementPolicy: "Parallel",
      });
      expect(sentinels.spec).toMatchObject({
        replicas: settings.sentinel.count,
        serviceName: names.sentinelHeadless,
        podManagementPolicy: "Parallel",
      });
      expect(nodes.metadata).toMatchObject({
        name: names.redis,
        namespace: config.kubernetes.namespace,
      });
    });

    it("spreads each member's pods over zones and nodes", () => {
      for (const sts of [statefulSet("nodes"), statefulSet("sentinels")]) {
        const labels = (sts.inputs as Spec).spec.template.metadata.labels;
        const required = podSpec(sts).affinity.podAntiAffinity
          .requiredDuringSchedulingIgnoredDuringExecution as Spec[];
        expect(required.map((t) => t.topologyKey).sort()).toEqual(
          settings.zoneSpread === "required"
            ? ["kubernetes.io/hostname", "topology.kubernetes.io/zone"]
            : ["kubernetes.io/hostname"],
        );
        for (const term of required) expect(term.labelSelector.matchLabels).toEqual(labels);
      }
    });

    it("probes every member through the rendered script: startup, readiness, liveness", () => {
      for (const [suffix, member] of [
        ["nodes", "redis"],
        ["sentinels", "sentinel"],
      ] as const) {
        const c = mainContainer(statefulSet(suffix));
        const run = (command: string) => ({
          exec: { command: ["sh", `${TEMPLATE_DIR}/${SCRIPT_NAME}`, command] },
        });
        expect(c.command).toEqual(run(`start-${member}`).exec.command);
        expect(c.readinessProbe).toMatchObject(run(`ready-${member}`));
        expect(c.livenessProbe).toMatchObject(run(`alive-${member}`));
        expect(c.startupProbe).toMatchObject(run(`alive-${member}`));
        // The startup probe outlasts a hand-over, which may take the whole failover timeout.
        expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThan(
          settings.sentinel.failoverTimeoutMs / 1000,
        );
      }
    });

    it("keeps the password in a Secret: generated, secret in state, and only referenced by containers", () => {
      const secret = synth.one("kubernetes:core/v1:Secret", "-redis-auth");
      // Redacted leaf by leaf: the manifest keeps the Secret's shape.
      expect((secret.inputs as Spec).stringData).toEqual({ [PASSWORD_KEY]: REDACTED });
      expect(secret.secretPaths).toEqual([`stringData.${PASSWORD_KEY}`]);
      expect((secret.inputs as Spec).metadata.name).toBe(names.auth);
      const password = synth.one("random:index/randomPassword:RandomPassword", "-redis-password");
      const generated = String(
        computedOutputs({
          type: password.type,
          name: password.name,
          inputs: password.inputs,
          region: "",
        }).result,
      );
      expect(generated.length).toBe((password.inputs as Spec).length);
      // The value itself appears in no recorded input (ConfigMaps, env, annotations...).
      expect(JSON.stringify(synth.resources.map((r) => r.inputs))).not.toContain(generated);
      for (const sts of [statefulSet("nodes"), statefulSet("sentinels")]) {
        for (const c of podSpec(sts).containers as Spec[]) {
          const env = (c.env as Spec[]).find((e) => e.name === "REDIS_PASSWORD");
          expect(env, `${sts.name}/${c.name}`).toEqual({
            name: "REDIS_PASSWORD",
            valueFrom: {
              secretKeyRef: { name: names.auth, key: PASSWORD_KEY },
            },
          });
        }
      }
    });

    it("names every object; the files' ConfigMap by a hash of its content, immutable, mounted by every pod", () => {
      const group = synth.one("vega:redis:RedisSentinel");
      for (const child of synth.childrenOf(group).filter((r) => r.type.startsWith("kubernetes:")))
        expect((child.inputs as Spec).metadata.name, child.name).toEqual(expect.any(String));
      const cm = configMap().inputs as Spec;
      expect(cm.metadata.name).toBe(configMapName(names.config, files()));
      expect(cm.immutable).toBe(true);
      for (const sts of [statefulSet("nodes"), statefulSet("sentinels")])
        expect(podSpec(sts).volumes).toContainEqual(
          expect.objectContaining({
            configMap: expect.objectContaining({ name: cm.metadata.name }),
          }),
        );
    });

    it("gives no pod of the group a Kubernetes API token", () => {
      for (const sts of [statefulSet("nodes"), statefulSet("sentinels")])
        expect(podSpec(sts).automountServiceAccountToken, sts.name).toBe(false);
    });

    it("lets only Vega's pods reach Redis and the Sentinels, and only the scrapers' namespace reach the metrics", () => {
      const policy = synth.one("kubernetes:networking.k8s.io/v1:NetworkPolicy").inputs as Spec;
      const podLabels = [statefulSet("nodes"), statefulSet("sentinels")].map(
        (sts) => (sts.inputs as Spec).spec.template.metadata.labels as Record<string, string>,
      );
      const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
        Object.entries(selector).every(([k, v]) => labels[k] === v);
      // It applies to every pod of the group, and admits them to each other.
      for (const labels of podLabels)
        expect(selects(policy.spec.podSelector.matchLabels, labels)).toBe(true);
      expect(policy.spec.policyTypes).toEqual(["Ingress"]);
      const [clients, scrapers] = policy.spec.ingress as Spec[];
      expect(clients.ports).toEqual([
        { protocol: "TCP", port: REDIS_PORT },
        { protocol: "TCP", port: SENTINEL_PORT },
      ]);
      const vega = clients.from[0].podSelector.matchLabels;
      expect(clients.from[0].namespaceSelector).toBeUndefined();
      for (const labels of podLabels) expect(selects(vega, labels)).toBe(true);
      // The gateway and the worker pools, the group's clients, are admitted too.
      for (const d of synth.ofType("kubernetes:apps/v1:Deployment"))
        if ((d.inputs as Spec).metadata.name !== "otel-collector")
          expect(selects(vega, (d.inputs as Spec).spec.template.metadata.labels), d.name).toBe(
            true,
          );
      expect(scrapers).toEqual({
        from: [{ namespaceSelector: { matchLabels: settings.metrics.scraperNamespaceLabels } }],
        ports: [{ protocol: "TCP", port: EXPORTER_PORT }],
      });
    });

    it("renders the configs for this cluster: node 0 as cold-start master, every member by host name", () => {
      const {
        "sentinel.conf": sentinelConf,
        "redis.conf": redisConf,
        [SCRIPT_NAME]: script,
      } = files();
      expect(sentinelConf).toContain(
        `sentinel monitor ${settings.masterGroup} ${hostOf(names.redis, names.redisHeadless, 0)} 6379 ${settings.sentinel.quorum}`,
      );
      expect(sentinelConf).toContain(
        `sentinel down-after-milliseconds ${settings.masterGroup} ${settings.sentinel.downAfterMs}`,
      );
      expect(redisConf).toContain(`maxmemory ${settings.memory.maxmemoryMb}mb`);
      expect(redisConf).toContain(
        `min-replicas-to-write ${settings.replication.minReplicasToWrite}`,
      );
      const nodes = Array.from(
        { length: settings.nodes },
        (_, i) => `${hostOf(names.redis, names.redisHeadless, i)}:6379`,
      );
      const sentinels = Array.from(
        { length: settings.sentinel.count },
        (_, i) => `${hostOf(names.sentinel, names.sentinelHeadless, i)}:26379`,
      );
      expect(script).toContain(`REDIS_NODES='${nodes.join(" ")}'`);
      expect(script).toContain(`SENTINEL_NODES='${sentinels.join(" ")}'`);
    });

    it("copies the config to a writable in-memory volume; AOF data on a claim per pod", () => {
      const nodes = statefulSet("nodes").inputs as Spec;
      const live = (podSpec(statefulSet("sentinels")).volumes as Spec[]).find(
        (v) => v.name === "live",
      );
      expect(live?.emptyDir).toMatchObject({ medium: "Memory" });
      expect(mainContainer(statefulSet("sentinels")).env).toContainEqual({
        name: "CONFIG_FILE",
        value: "/etc/vega-redis/sentinel.conf",
      });
      if (settings.persistence.aof) {
        expect(nodes.spec.volumeClaimTemplates).toEqual([
          expect.objectContaining({
            metadata: { name: "data" },
            spec: expect.objectContaining({
              resources: { requests: { storage: `${settings.persistence.storageGi}Gi` } },
            }),
          }),
        ]);
      }
    });

    it("publishes not-ready addresses on the headless services; clients reach the Sentinels on their own service", () => {
      for (const svc of [names.redisHeadless, names.sentinelHeadless]) {
        const r = synth
          .ofType("kubernetes:core/v1:Service")
          .find((s) => (s.inputs as Spec).metadata.name === svc)!;
        expect((r.inputs as Spec).spec).toMatchObject({
          clusterIP: "None",
          publishNotReadyAddresses: true,
        });
      }
      const client = synth.one("kubernetes:core/v1:Service", "-redis-sentinel-service")
        .inputs as Spec;
      expect(client.spec).toMatchObject({ type: "ClusterIP", ports: [{ port: 26379 }] });
      expect(client.spec.selector).toEqual(
        (statefulSet("sentinels").inputs as Spec).spec.selector.matchLabels,
      );
    });

    it("keeps a Sentinel majority and a writable master through voluntary disruptions", () => {
      expect(
        (
          synth.one("kubernetes:policy/v1:PodDisruptionBudget", "-redis-sentinels-pdb")
            .inputs as Spec
        ).spec.minAvailable,
      ).toBe(sentinelMajority(settings.sentinel.count));
      expect(
        (synth.one("kubernetes:policy/v1:PodDisruptionBudget", "-redis-nodes-pdb").inputs as Spec)
          .spec.minAvailable,
      ).toBe(settings.replication.minReplicasToWrite + 1);
    });

    it("scrapes every exporter sidecar through one ServiceMonitor, selected by kube-prometheus-stack's label", () => {
      const monitor = synth.one("kubernetes:monitoring.coreos.com/v1:ServiceMonitor")
        .inputs as Spec;
      expect(monitor.metadata.labels).toMatchObject({
        release: config.observability.prometheusRelease,
      });
      expect(monitor.spec.endpoints).toEqual([
        { port: "metrics", interval: settings.metrics.interval },
      ]);
      const selected = synth
        .ofType("kubernetes:core/v1:Service")
        .filter((s) =>
          Object.entries(monitor.spec.selector.matchLabels).every(
            ([k, v]) => (s.inputs as Spec).metadata.labels?.[k] === v,
          ),
        );
      expect(selected.map((s) => (s.inputs as Spec).metadata.name).sort()).toEqual(
        [names.redisHeadless, names.sentinelHeadless].sort(),
      );
      for (const s of selected)
        expect((s.inputs as Spec).spec.ports).toContainEqual(
          expect.objectContaining({ name: "metrics" }),
        );
      for (const sts of [statefulSet("nodes"), statefulSet("sentinels")]) {
        expect((podSpec(sts).containers as Spec[]).map((c) => c.name)).toContain("exporter");
      }
    });

    it("probes every container, the exporter sidecar on its own /health over the metrics port", () => {
      for (const sts of [statefulSet("nodes"), statefulSet("sentinels")]) {
        const containers = podSpec(sts).containers as Spec[];
        for (const c of containers) {
          expect(c.readinessProbe, c.name).toBeDefined();
          expect(c.livenessProbe, c.name).toBeDefined();
        }
        const exporter = containers.find((c) => c.name === "exporter")!;
        const metricsPort = (exporter.ports as Spec[]).find((p) => p.name === "metrics");
        expect(metricsPort).toBeDefined();
        for (const probe of [exporter.readinessProbe, exporter.livenessProbe])
          expect(probe.httpGet).toEqual({ path: "/health", port: "metrics" });
      }
    });

    it("puts its rendered files and a summary into the offline plan", () => {
      const ctx = { stack, resources: synth.resources, outputs: synth.outputs };
      const group = synth.one("vega:redis:RedisSentinel");
      const artifacts = redisPlanExtension.artifacts!(ctx);
      expect(Object.fromEntries(artifacts.map((a) => [a.path, a.content]))).toEqual(
        Object.fromEntries(
          Object.entries(files()).map(([file, content]) => [
            `redis/${group.name}/${file}`,
            content,
          ]),
        ),
      );
      expect(artifacts.map((a) => a.path.split("/").pop()).sort()).toEqual(
        ["redis.conf", "sentinel.conf", SCRIPT_NAME].sort(),
      );
      const [section] = redisPlanExtension.sections!(ctx);
      expect(section!.markdown).toContain(`| quorum | ${settings.sentinel.quorum} |`);
      expect(section!.markdown).toContain(
        `| StatefulSet \`${names.redis}\` | ${settings.nodes} pods, \`${settings.images.redis}\` + \`${settings.images.exporter}\` |`,
      );
      expect(section!.markdown).toContain(
        `| StatefulSet \`${names.sentinel}\` | ${settings.sentinel.count} pods`,
      );
      const { sentinel: t, replication: r, memory: m } = settings;
      expect(section!.markdown.split("\n")).toEqual(
        expect.arrayContaining([
          `| down-after / failover-timeout | ${t.downAfterMs} ms / ${t.failoverTimeoutMs} ms |`,
          `| min-replicas-to-write (max lag) | ${r.minReplicasToWrite} (${r.minReplicasMaxLagSeconds} s) |`,
          `| maxmemory | ${m.maxmemoryMb}mb ${m.policy} |`,
          `| appendonly | ${settings.persistence.aof ? "yes" : "no"} |`,
        ]),
      );
    });

    it("passes the cache policies", async () => {
      const report = await runPolicies(synth.resources, {}, redisPolicies);
      expect(report.violations).toEqual([]);
    });
  });
}
