import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { imageReference, type GatewayConfig } from "../../config";
import { childName } from "../core";
import { targetHealthConditionType } from "../edge/binding";
import {
  CONFIG_HASH_ANNOTATION,
  configHash,
  httpServiceSpec,
  selectorLabels,
  serverPodSpec,
  workloadLabels,
} from "../workload";
import { drainTimings } from "./drain";
import { RUNTIME_FILE, RUNTIME_MOUNT_PATH, renderRuntimeConfig } from "./runtime";

export interface GatewayArgs {
  /** Namespace of every gateway object. Required. */
  namespace: pulumi.Input<string>;
  /** The validated `vega-ha:gateway` section. Required. */
  config: GatewayConfig;
  /** The target group's deregistration delay; the preStop sleep is derived from it. Required. */
  deregistrationDelaySeconds: number;
  /** Health endpoint: the path the target group checks (`edge.targetGroup.healthCheck.path`). Required. */
  healthPath: string;
  /**
   * Name of the TargetGroupBinding that registers these pods; its target-health condition
   * becomes a readiness gate. Default: none (no gate; only for a gateway not behind an ALB).
   */
  targetGroupBinding?: string;
}

/** Objects are named after the registered service name (seed 17.3 `vega-gateway`). */
export const gatewayObjectName = (config: GatewayConfig) =>
  config.runtime.serviceDiscovery.registration.serviceName;

/** Throws at once on arguments that cannot work together. */
export function validateGatewayArgs(args: GatewayArgs): void {
  const { preStopSeconds } = drainTimings(args.deregistrationDelaySeconds, args.config.drain);
  if (preStopSeconds <= args.deregistrationDelaySeconds) {
    throw new Error(
      `Gateway: preStop (${preStopSeconds} s) must outlast the deregistration delay (${args.deregistrationDelaySeconds} s)`,
    );
  }
}

/**
 * The gateway nodes of seed 17.1: a Deployment spread over zones, its runtime config in a
 * ConfigMap (a hash of it on the pods, so a change rolls them), a Service the load balancer's
 * TargetGroupBinding points at, a PodDisruptionBudget, and read access to the service registry
 * (the Kubernetes API, seed 17.3 provider kubernetes).
 */
export class Gateway extends pulumi.ComponentResource {
  public readonly deployment: k8s.apps.v1.Deployment;
  public readonly service: k8s.core.v1.Service;
  public readonly configMap: k8s.core.v1.ConfigMap;
  /** Service name and port, for the TargetGroupBinding. */
  public readonly serviceName: pulumi.Output<string>;
  public readonly port: number;

  constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    validateGatewayArgs(args);
    super("vega:gateway:Gateway", name, {}, opts);
    const { config } = args;
    const child = { parent: this };
    const objectName = gatewayObjectName(config);
    const namespace = args.namespace;
    const { healthPath } = args;
    const labels = workloadLabels(objectName, "gateway");
    const selector = selectorLabels(labels);
    const meta = (suffix = "") => ({ name: `${objectName}${suffix}`, namespace, labels });
    const drain = drainTimings(args.deregistrationDelaySeconds, config.drain);

    const runtimeText = pulumi
      .output(namespace)
      .apply((ns) =>
        renderRuntimeConfig(config.runtime, { port: config.port, healthPath, namespace: ns }),
      );
    this.configMap = new k8s.core.v1.ConfigMap(
      childName(name, "runtime"),
      {
        metadata: meta("-runtime"),
        data: { [RUNTIME_FILE]: runtimeText },
      },
      child,
    );

    const account = new k8s.core.v1.ServiceAccount(
      childName(name, "account"),
      { metadata: meta() },
      child,
    );
    const role = new k8s.rbac.v1.Role(
      childName(name, "discovery"),
      {
        metadata: meta("-discovery"),
        rules: [
          {
            apiGroups: [""],
            resources: ["services", "endpoints"],
            verbs: ["get", "list", "watch"],
          },
          {
            apiGroups: ["discovery.k8s.io"],
            resources: ["endpointslices"],
            verbs: ["get", "list", "watch"],
          },
        ],
      },
      child,
    );
    new k8s.rbac.v1.RoleBinding(
      childName(name, "discovery-binding"),
      {
        metadata: meta("-discovery"),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace }],
      },
      child,
    );

    this.deployment = new k8s.apps.v1.Deployment(
      childName(name, "deployment"),
      {
        metadata: meta(),
        spec: {
          replicas: config.replicas,
          selector: { matchLabels: selector },
          // Surge one new pod before an old one goes: never fewer than `replicas` ready.
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          revisionHistoryLimit: 5,
          template: {
            metadata: {
              labels,
              annotations: { [CONFIG_HASH_ANNOTATION]: runtimeText.apply(configHash) },
            },
            spec: {
              ...serverPodSpec({
                container: "gateway",
                image: imageReference(config.image),
                port: config.port,
                healthPath,
                // Seed 17.3: the registration health check every 10 s is the readiness period.
                readinessPeriodSeconds:
                  config.runtime.serviceDiscovery.registration.healthCheckIntervalSeconds,
                resources: config.resources,
                selector,
                terminationGracePeriodSeconds: drain.terminationGracePeriodSeconds,
                preStopSleepSeconds: drain.preStopSeconds,
                env: [
                  { name: "VEGA_GATEWAY_CONFIG", value: `${RUNTIME_MOUNT_PATH}/${RUNTIME_FILE}` },
                ],
                volumes: [{ name: "runtime", configMap: { name: this.configMap.metadata.name } }],
                mounts: [{ name: "runtime", mountPath: RUNTIME_MOUNT_PATH, readOnly: true }],
              }),
              serviceAccountName: account.metadata.name,
              // The gateway reads Services and EndpointSlices (seed 17.3 discovery through the
              // Kubernetes API, the Role above): its pods need their ServiceAccount's token.
              automountServiceAccountToken: true,
              readinessGates: args.targetGroupBinding
                ? [{ conditionType: targetHealthConditionType(args.targetGroupBinding) }]
                : [],
            },
          },
        },
      },
      child,
    );

    this.service = new k8s.core.v1.Service(
      childName(name, "service"),
      {
        metadata: meta(),
        spec: httpServiceSpec(selector, config.port),
      },
      child,
    );

    new k8s.policy.v1.PodDisruptionBudget(
      childName(name, "pdb"),
      {
        metadata: meta(),
        spec: { minAvailable: config.replicas - 1, selector: { matchLabels: selector } },
      },
      child,
    );

    this.serviceName = this.service.metadata.name;
    this.port = config.port;
    this.registerOutputs({ serviceName: this.serviceName, port: this.port });
  }
}
