/**
 * Pod building blocks shared by the gateway and the worker pools: the hardened security
 * context, HTTP probes, resources, zone spread and the config-hash annotation.
 */
import type * as k8s from "@pulumi/kubernetes";
import { createHash } from "node:crypto";
import type { ResourcesConfig } from "../../config";

/** A non-root user id far from any host user. */
export const RUN_AS_USER = 10001;

/** Annotation carrying the hash of a pod's rendered config: a config change rolls the pods. */
export const CONFIG_HASH_ANNOTATION = "checksum/runtime-config";

/** Pod-level security: non-root, the runtime's default seccomp profile. */
export function podSecurityContext(): k8s.types.input.core.v1.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: RUN_AS_USER,
    runAsGroup: RUN_AS_USER,
    fsGroup: RUN_AS_USER,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Container-level security: read-only root, no privilege escalation, no capabilities. */
export function containerSecurityContext(): k8s.types.input.core.v1.SecurityContext {
  return {
    runAsNonRoot: true,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ["ALL"] },
  };
}

/** An HTTP GET probe on the container's named port. */
export function httpProbe(
  path: string,
  periodSeconds: number,
  failureThreshold: number,
  timeoutSeconds = 2,
): k8s.types.input.core.v1.Probe {
  return {
    httpGet: { path, port: "http" },
    periodSeconds,
    failureThreshold,
    timeoutSeconds,
    successThreshold: 1,
  };
}

export function containerResources(
  r: ResourcesConfig,
): k8s.types.input.core.v1.ResourceRequirements {
  return { requests: { ...r.requests }, limits: { ...r.limits } };
}

/** Spread pods evenly over zones (hard: max skew 1), then over nodes (soft). */
export function zoneSpread(
  selector: Record<string, string>,
): k8s.types.input.core.v1.TopologySpreadConstraint[] {
  return [
    {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
      labelSelector: { matchLabels: selector },
    },
    {
      maxSkew: 1,
      topologyKey: "kubernetes.io/hostname",
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector: { matchLabels: selector },
    },
  ];
}

/** A writable /tmp for a read-only root filesystem. */
export const TMP_VOLUME = { name: "tmp", emptyDir: { sizeLimit: "64Mi" } } as const;
export const TMP_MOUNT = { name: "tmp", mountPath: "/tmp" } as const;

/** Short stable hash of rendered config text. */
export function configHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

export interface ServerPodArgs {
  /** Container name. */
  container: string;
  /** Image reference (repository:tag or @digest). */
  image: string;
  /** Port the server listens on (named "http"). */
  port: number;
  /** Health endpoint every probe requests. */
  healthPath: string;
  /** Readiness probe period. */
  readinessPeriodSeconds: number;
  resources: ResourcesConfig;
  /** Labels the zone spread counts pods by. */
  selector: Record<string, string>;
  terminationGracePeriodSeconds: number;
  env?: k8s.types.input.core.v1.EnvVar[];
  /** preStop sleep before SIGTERM. Default none. */
  preStopSleepSeconds?: number;
  /** Volumes besides the writable /tmp, and where the container mounts them. */
  volumes?: k8s.types.input.core.v1.Volume[];
  mounts?: k8s.types.input.core.v1.VolumeMount[];
}

/**
 * The pod of an HTTP server: hardened, spread over zones, probed on its health endpoint
 * (readiness at the given period, liveness every 10 s, up to 150 s to start), one container.
 */
export function serverPodSpec(a: ServerPodArgs): k8s.types.input.core.v1.PodSpec {
  return {
    securityContext: podSecurityContext(),
    terminationGracePeriodSeconds: a.terminationGracePeriodSeconds,
    topologySpreadConstraints: zoneSpread(a.selector),
    containers: [
      {
        name: a.container,
        image: a.image,
        imagePullPolicy: "IfNotPresent",
        ports: [{ name: "http", containerPort: a.port, protocol: "TCP" }],
        env: a.env ?? [],
        readinessProbe: httpProbe(a.healthPath, a.readinessPeriodSeconds, 3),
        livenessProbe: httpProbe(a.healthPath, 10, 3),
        startupProbe: httpProbe(a.healthPath, 5, 30),
        ...(a.preStopSleepSeconds === undefined
          ? {}
          : { lifecycle: { preStop: { sleep: { seconds: a.preStopSleepSeconds } } } }),
        resources: containerResources(a.resources),
        securityContext: containerSecurityContext(),
        volumeMounts: [...(a.mounts ?? []), TMP_MOUNT],
      },
    ],
    volumes: [...(a.volumes ?? []), TMP_VOLUME],
  };
}

/** A ClusterIP Service in front of the pods' "http" port. */
export function httpServiceSpec(
  selector: Record<string, string>,
  port: number,
): k8s.types.input.core.v1.ServiceSpec {
  return {
    type: "ClusterIP",
    selector,
    ports: [{ name: "http", port, targetPort: "http", protocol: "TCP" }],
  };
}
