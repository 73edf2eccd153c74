/**
 * Pod specs of the Redis and Sentinel StatefulSets as pure functions: containers, probes,
 * volumes, anti-affinity. Every container runs the rendered vega-redis.sh; the password reaches
 * it only through a secretKeyRef.
 */
import { types } from "@pulumi/kubernetes";
import type { RedisConfig } from "../../config";
import { SCRIPT_NAME, handoverWaitSeconds, type ScriptCommand } from "./script";
import { EXPORTER_PORT, REDIS_PORT, SENTINEL_PORT } from "./topology";

import Input = types.input.core.v1;

/** Where the ConfigMap (rendered files) and the writable copy live in every container. */
export const TEMPLATE_DIR = "/opt/vega-redis";
export const LIVE_DIR = "/etc/vega-redis";
export const DATA_DIR = "/data";
/** uid/gid of the official redis image's `redis` user. */
const REDIS_UID = 999;
/** Key of the password in the Secret. */
export const PASSWORD_KEY = "password";

export type Member = "redis" | "sentinel";

export interface PodInputs {
  settings: RedisConfig;
  /** Name of the ConfigMap holding redis.conf, sentinel.conf and the script. */
  configMapName: string;
  /** Name of the Secret holding the password under PASSWORD_KEY. */
  secretName: string;
  /** Labels that select this member's pods. */
  selector: Record<string, string>;
}

const containerSecurity: Input.SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
};

const passwordEnv = (secretName: string): Input.EnvVar => ({
  name: "REDIS_PASSWORD",
  valueFrom: { secretKeyRef: { name: secretName, key: PASSWORD_KEY } },
});

const script = (command: ScriptCommand) => ["sh", `${TEMPLATE_DIR}/${SCRIPT_NAME}`, command];

/** Probes of one member: readiness and liveness through the script, startup long enough for a hand-over. */
export function memberProbes(member: Member, settings: Pick<RedisConfig, "sentinel">) {
  const period = 5;
  // A restarted master may wait up to the failover timeout for its hand-over, then load its AOF.
  const startupSeconds = handoverWaitSeconds(settings) + 120;
  return {
    startupProbe: {
      exec: { command: script(`alive-${member}`) },
      periodSeconds: period,
      timeoutSeconds: 5,
      failureThreshold: Math.ceil(startupSeconds / period),
    },
    readinessProbe: {
      exec: { command: script(`ready-${member}`) },
      periodSeconds: period,
      timeoutSeconds: 5,
      failureThreshold: 2,
    },
    livenessProbe: {
      exec: { command: script(`alive-${member}`) },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
  } satisfies Partial<Input.Container>;
}

/**
 * The exporter's own health: redis_exporter serves `GET /health` (200 "ok") on its metrics port
 * whatever Redis answers (oliver006/redis_exporter exporter/exporter.go registers "/health"), so a
 * Redis failover never restarts the sidecar; it is restarted only when it stops serving. The
 * group's NetworkPolicy does not stop the kubelet's probe: a pod cannot block its own node
 * (kubernetes.io Network Policies, "what you can't do"; the EKS agent allows the node IP,
 * aws/aws-network-policy-agent#65). The image has no shell, so the probe is HTTP, not exec.
 */
export const EXPORTER_HEALTH_PATH = "/health";

/** The redis_exporter sidecar, scraping its neighbour on localhost. */
export function exporterContainer(
  image: string,
  port: number,
  secretName: string,
): Input.Container {
  return {
    name: "exporter",
    image,
    env: [{ name: "REDIS_ADDR", value: `redis://localhost:${port}` }, passwordEnv(secretName)],
    ports: [{ name: "metrics", containerPort: EXPORTER_PORT }],
    resources: { requests: { cpu: "25m", memory: "32Mi" }, limits: { memory: "64Mi" } },
    securityContext: containerSecurity,
    readinessProbe: {
      httpGet: { path: EXPORTER_HEALTH_PATH, port: "metrics" },
      periodSeconds: 10,
      timeoutSeconds: 2,
      failureThreshold: 3,
    },
    livenessProbe: {
      httpGet: { path: EXPORTER_HEALTH_PATH, port: "metrics" },
      periodSeconds: 20,
      timeoutSeconds: 2,
      failureThreshold: 3,
    },
  };
}

/**
 * Pods never share a node; across zones the spread is required (one per zone) or preferred.
 */
export function zoneAntiAffinity(
  selector: Record<string, string>,
  zoneSpread: RedisConfig["zoneSpread"],
): Input.Affinity {
  const term = (topologyKey: string) => ({ labelSelector: { matchLabels: selector }, topologyKey });
  const zone = "topology.kubernetes.io/zone";
  return {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        term("kubernetes.io/hostname"),
        ...(zoneSpread === "required" ? [term(zone)] : []),
      ],
      ...(zoneSpread === "preferred"
        ? {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 100, podAffinityTerm: term(zone) },
            ],
          }
        : {}),
    },
  };
}

/** The pod spec of a Redis node or a Sentinel. */
export function memberPodSpec(member: Member, p: PodInputs): Input.PodSpec {
  const s = p.settings;
  const port = member === "redis" ? REDIS_PORT : SENTINEL_PORT;
  const file = member === "redis" ? "redis.conf" : "sentinel.conf";
  const resources =
    member === "redis"
      ? {
          requests: { cpu: `${s.memory.cpuMillis}m`, memory: `${s.memory.limitMb}Mi` },
          limits: { memory: `${s.memory.limitMb}Mi` },
        }
      : { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } };
  const mounts: Input.VolumeMount[] = [
    { name: "templates", mountPath: TEMPLATE_DIR, readOnly: true },
    { name: "live", mountPath: LIVE_DIR },
    ...(member === "redis" ? [{ name: "data", mountPath: DATA_DIR }] : []),
  ];
  return {
    // Nothing here calls the Kubernetes API (the start-up script asks the Sentinels): no token.
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: 30,
    securityContext: {
      runAsUser: REDIS_UID,
      runAsGroup: REDIS_UID,
      fsGroup: REDIS_UID,
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    },
    affinity: zoneAntiAffinity(p.selector, s.zoneSpread),
    containers: [
      {
        name: member,
        image: s.images.redis,
        command: script(`start-${member}`),
        env: [
          passwordEnv(p.secretName),
          { name: "CONFIG_TEMPLATE", value: `${TEMPLATE_DIR}/${file}` },
          { name: "CONFIG_FILE", value: `${LIVE_DIR}/${file}` },
        ],
        ports: [{ name: member, containerPort: port }],
        resources,
        securityContext: containerSecurity,
        volumeMounts: mounts,
        ...memberProbes(member, s),
      },
      exporterContainer(s.images.exporter, port, p.secretName),
    ],
    volumes: [
      { name: "templates", configMap: { name: p.configMapName, defaultMode: 0o444 } },
      // The live config holds the password: keep it in memory, never on a disk.
      { name: "live", emptyDir: { medium: "Memory", sizeLimit: "4Mi" } },
      ...(member === "redis" && !s.persistence.aof ? [{ name: "data", emptyDir: {} }] : []),
    ],
  };
}

/** The AOF volume of each Redis pod, when AOF is on. */
export function dataVolumeClaims(s: RedisConfig): Input.PersistentVolumeClaim[] {
  if (!s.persistence.aof) return [];
  return [
    {
      metadata: { name: "data" },
      spec: {
        accessModes: ["ReadWriteOnce"],
        ...(s.persistence.storageClass ? { storageClassName: s.persistence.storageClass } : {}),
        resources: { requests: { storage: `${s.persistence.storageGi}Gi` } },
      },
    },
  ];
}
