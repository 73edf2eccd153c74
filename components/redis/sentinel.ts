import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { redisSettingsProblems, sentinelMajority, type RedisConfig } from "../../config";
import { childName } from "../core";
import { configHash } from "../workload";
import { renderRedisConf, renderSentinelConf } from "./conf";
import { redisIngressPolicySpec } from "./network";
import { SCRIPT_NAME, renderStartScript } from "./script";
import {
  DEFAULT_BASE_NAME,
  EXPORTER_PORT,
  REDIS_PORT,
  SENTINEL_PORT,
  baseNameProblem,
  clusterTopology,
  redisK8sNames,
  sentinelServiceAddress,
} from "./topology";
import {
  DATA_DIR,
  LIVE_DIR,
  PASSWORD_KEY,
  dataVolumeClaims,
  memberPodSpec,
  type Member,
} from "./workloads";

export interface RedisSentinelArgs {
  /** Namespace of every object. Required. */
  namespace: pulumi.Input<string>;
  /** The `vega-ha:redis` settings. Required; the config supplies the defaults. */
  settings: RedisConfig;
  /**
   * Base name of the Kubernetes objects, and so of the pods' host names: a DNS label of at most
   * 43 characters (its Sentinel StatefulSet, `<base>-sentinel`, may have 52). Default "vega-redis".
   */
  baseName?: string;
  /** Labels Prometheus selects the ServiceMonitor by (kube-prometheus-stack: `release`). Default none. */
  serviceMonitorLabels?: Record<string, string>;
}

/** Throws at once on arguments that cannot work together. */
export function validateRedisSentinelArgs(args: RedisSentinelArgs): void {
  const problems = redisSettingsProblems(args.settings).map(
    (p) => `settings.${p.path.join(".")}: ${p.message}, got ${JSON.stringify(p.input)}`,
  );
  const base = baseNameProblem(args.baseName ?? DEFAULT_BASE_NAME);
  if (base) problems.push(`baseName: ${base}`);
  if (problems.length > 0) throw new Error(`RedisSentinel: ${problems.join("; ")}`);
}

/** The three files of the group's ConfigMap, rendered for the pods. */
export function renderPodFiles(
  base: string,
  namespace: string,
  settings: RedisConfig,
): Record<string, string> {
  const topology = clusterTopology(
    base,
    { namespace, clusterDomain: settings.clusterDomain },
    settings,
  );
  const bind = ["0.0.0.0"];
  return {
    "redis.conf": renderRedisConf({ port: REDIS_PORT, bind, dir: DATA_DIR }, settings),
    "sentinel.conf": renderSentinelConf(
      { port: SENTINEL_PORT, bind, dir: LIVE_DIR },
      topology,
      settings,
    ),
    [SCRIPT_NAME]: renderStartScript(topology, settings),
  };
}

/**
 * Name of the files' ConfigMap: the prefix and a hash of the content. A change of the files is a
 * new ConfigMap (created before the old one goes, so no name collides) that rolls the pods;
 * `immutable` keeps anyone from editing one in place.
 */
export function configMapName(prefix: string, files: Record<string, string>): string {
  return `${prefix}-${configHash(JSON.stringify(files)).slice(0, 10)}`;
}

/**
 * Redis with Sentinel in one region (seed 17.1, 17.5): a StatefulSet of Redis nodes (one master,
 * the rest replicas) and a StatefulSet of Sentinels, with headless Services for stable host
 * names, a Service for clients to reach the Sentinels, PDBs, a random password in a Secret,
 * redis_exporter sidecars scraped through a ServiceMonitor, and a NetworkPolicy that lets only
 * Vega's pods (and Prometheus, on the metrics port) in. Clients ask the Sentinels for
 * `masterGroup` at `sentinelAddress`. Cache data is not replicated across regions.
 *
 * Every object has an explicit name (the manifests reference them and stay reproducible). A named
 * object replaced under the same name is deleted first by the Kubernetes provider's own diff
 * (delete-before-replace for named objects), so no option is needed here.
 */
export class RedisSentinel extends pulumi.ComponentResource {
  /** host:port of the clients' Sentinel Service. */
  public readonly sentinelAddress: pulumi.Output<string>;
  /** The master group name clients ask the Sentinels for. */
  public readonly masterGroup: string;
  /** Secret holding the password (key "password") for clients to mount. */
  public readonly passwordSecretName: pulumi.Output<string>;

  constructor(name: string, args: RedisSentinelArgs, opts?: pulumi.ComponentResourceOptions) {
    validateRedisSentinelArgs(args);
    super("vega:redis:RedisSentinel", name, {}, opts);
    const child = { parent: this };
    const s = args.settings;
    const base = args.baseName ?? DEFAULT_BASE_NAME;
    const names = redisK8sNames(base);
    const namespace = pulumi.output(args.namespace);
    const partOf = { "app.kubernetes.io/part-of": "vega", "app.kubernetes.io/instance": base };
    const selectorOf = (member: Member) => ({
      ...partOf,
      "app.kubernetes.io/name": member === "redis" ? "redis" : "redis-sentinel",
    });
    const scraped = { "vega-ha/scrape": "redis-exporter" };
    /** Logical names of each member's children: "<name>-nodes…", "<name>-sentinels…". */
    const role = (member: Member) => (member === "redis" ? "nodes" : "sentinels");

    const password = new random.RandomPassword(
      childName(name, "password"),
      { length: 32, special: false },
      child,
    );
    const secret = new k8s.core.v1.Secret(
      childName(name, "auth"),
      {
        metadata: { name: names.auth, namespace, labels: partOf },
        type: "Opaque",
        stringData: { [PASSWORD_KEY]: pulumi.secret(password.result) },
      },
      child,
    );

    const podFiles = namespace.apply((ns) => renderPodFiles(base, ns, s));
    const files = new k8s.core.v1.ConfigMap(
      childName(name, "config"),
      {
        metadata: {
          name: podFiles.apply((f) => configMapName(names.config, f)),
          namespace,
          labels: partOf,
        },
        immutable: true,
        data: podFiles,
      },
      child,
    );

    const headless = (member: Member, svcName: string, port: number) =>
      new k8s.core.v1.Service(
        childName(name, `${role(member)}-headless`),
        {
          metadata: { name: svcName, namespace, labels: { ...selectorOf(member), ...scraped } },
          spec: {
            clusterIP: "None",
            // Pods must resolve each other while not ready: a starting node asks the others.
            publishNotReadyAddresses: true,
            selector: selectorOf(member),
            ports: [
              { name: member, port, targetPort: member },
              { name: "metrics", port: EXPORTER_PORT, targetPort: "metrics" },
            ],
          },
        },
        child,
      );
    const redisHeadless = headless("redis", names.redisHeadless, REDIS_PORT);
    const sentinelHeadless = headless("sentinel", names.sentinelHeadless, SENTINEL_PORT);

    const sentinelService = new k8s.core.v1.Service(
      childName(name, "sentinel-service"),
      {
        metadata: { name: names.sentinel, namespace, labels: selectorOf("sentinel") },
        spec: {
          type: "ClusterIP",
          selector: selectorOf("sentinel"),
          ports: [{ name: "sentinel", port: SENTINEL_PORT, targetPort: "sentinel" }],
        },
      },
      child,
    );

    const statefulSet = (
      member: Member,
      setName: string,
      service: k8s.core.v1.Service,
      replicas: number,
    ) =>
      new k8s.apps.v1.StatefulSet(
        childName(name, role(member)),
        {
          metadata: { name: setName, namespace, labels: selectorOf(member) },
          spec: {
            serviceName: service.metadata.name,
            replicas,
            // Every pod finds the master through the Sentinels or the other pods: no ordering needed,
            // and OrderedReady would deadlock Sentinels whose readiness needs a known master.
            podManagementPolicy: "Parallel",
            updateStrategy: { type: "RollingUpdate" },
            selector: { matchLabels: selectorOf(member) },
            template: {
              metadata: { labels: selectorOf(member) },
              spec: pulumi
                .all([files.metadata.name, secret.metadata.name])
                .apply(([configMapName, secretName]) =>
                  memberPodSpec(member, {
                    settings: s,
                    configMapName,
                    secretName,
                    selector: selectorOf(member),
                  }),
                ),
            },
            ...(member === "redis"
              ? {
                  volumeClaimTemplates: dataVolumeClaims(s),
                  persistentVolumeClaimRetentionPolicy: {
                    whenDeleted: "Retain",
                    whenScaled: "Retain",
                  },
                }
              : {}),
          },
        },
        child,
      );
    statefulSet("redis", names.redis, redisHeadless, s.nodes);
    statefulSet("sentinel", names.sentinel, sentinelHeadless, s.sentinel.count);

    const budget = (member: Member, minAvailable: number) =>
      new k8s.policy.v1.PodDisruptionBudget(
        childName(name, `${role(member)}-pdb`),
        {
          metadata: {
            name: member === "redis" ? names.redis : names.sentinel,
            namespace,
            labels: selectorOf(member),
          },
          spec: { minAvailable, selector: { matchLabels: selectorOf(member) } },
        },
        child,
      );
    // A drain keeps the master and enough replicas to accept writes, and a Sentinel majority.
    budget("redis", s.replication.minReplicasToWrite + 1);
    budget("sentinel", sentinelMajority(s.sentinel.count));

    new k8s.apiextensions.CustomResource(
      childName(name, "service-monitor"),
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: base, namespace, labels: { ...partOf, ...args.serviceMonitorLabels } },
        spec: {
          selector: { matchLabels: { ...partOf, ...scraped } },
          endpoints: [{ port: "metrics", interval: s.metrics.interval }],
        },
      },
      child,
    );

    new k8s.networking.v1.NetworkPolicy(
      childName(name, "ingress"),
      {
        metadata: { name: base, namespace, labels: partOf },
        spec: redisIngressPolicySpec({
          groupSelector: partOf,
          scraperNamespaceLabels: s.metrics.scraperNamespaceLabels,
          scraperPodLabels: s.metrics.scraperPodLabels,
        }),
      },
      child,
    );

    this.masterGroup = s.masterGroup;
    this.sentinelAddress = pulumi
      .all([namespace, sentinelService.metadata.name])
      .apply(([ns]) =>
        sentinelServiceAddress(base, { namespace: ns, clusterDomain: s.clusterDomain }),
      );
    this.passwordSecretName = secret.metadata.name;
    this.registerOutputs({
      sentinelAddress: this.sentinelAddress,
      masterGroup: this.masterGroup,
      passwordSecretName: this.passwordSecretName,
    });
  }
}
