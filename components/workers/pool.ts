import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  imageReference,
  SEED_LOAD_BALANCER,
  type WorkerPoolConfig,
  type WorkerPoolName,
} from "../../config";
import { childName } from "../core";
import { httpServiceSpec, selectorLabels, serverPodSpec, workloadLabels } from "../workload";
import { poolReplicas, type PoolMode } from "./sizing";

/** The seed 17.3 discovery name every pool registers under (its `app.kubernetes.io/name`). */
export const WORKER_SERVICE_NAME = "vega-worker";

export interface WorkerPoolArgs {
  /** Namespace of every object. Required. */
  namespace: pulumi.Input<string>;
  /** Which pool (query, sync or cdc). Required. */
  pool: WorkerPoolName;
  /** The validated `vega-ha:workers.<pool>` section. Required. */
  config: WorkerPoolConfig;
  /** Full size or warm standby. Required. */
  mode: PoolMode;
  /** Health endpoint of the workers. Default: the seed's (17.2 `health_check.path`, "/health"). */
  healthPath?: string;
}

/**
 * One worker pool of seed 17.1 (A query, B sync, C cdc): a Deployment sized by its autoscaler,
 * a Service, the HorizontalPodAutoscaler and a PodDisruptionBudget. The Deployment leaves
 * `replicas` to the autoscaler, so `pulumi up` never fights a scale-out, and a promotion
 * (new HPA minimum) scales the pool up on its own.
 */
export class WorkerPool extends pulumi.ComponentResource {
  public readonly deployment: k8s.apps.v1.Deployment;
  public readonly service: k8s.core.v1.Service;
  public readonly autoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler;
  public readonly replicas: { min: number; max: number };

  constructor(name: string, args: WorkerPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vega:workers:WorkerPool", name, {}, opts);
    const { config, namespace } = args;
    const child = { parent: this };
    const objectName = `${WORKER_SERVICE_NAME}-${args.pool}`;
    const labels = workloadLabels(WORKER_SERVICE_NAME, args.pool);
    const selector = selectorLabels(labels);
    const metadata = { name: objectName, namespace, labels };
    const healthPath = args.healthPath ?? SEED_LOAD_BALANCER.healthCheck.path;
    this.replicas = poolReplicas(config, args.mode);

    this.deployment = new k8s.apps.v1.Deployment(
      childName(name, "deployment"),
      {
        metadata,
        spec: {
          selector: { matchLabels: selector },
          strategy: {
            type: "RollingUpdate",
            rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" },
          },
          revisionHistoryLimit: 5,
          template: {
            metadata: { labels },
            spec: {
              ...serverPodSpec({
                container: args.pool,
                image: imageReference(config.image),
                port: config.port,
                healthPath,
                readinessPeriodSeconds: 10,
                resources: config.resources,
                selector,
                terminationGracePeriodSeconds: config.terminationGraceSeconds,
                env: [{ name: "VEGA_WORKER_POOL", value: args.pool }],
              }),
              // Workers never call the Kubernetes API.
              automountServiceAccountToken: false,
            },
          },
        },
      },
      child,
    );

    this.service = new k8s.core.v1.Service(
      childName(name, "service"),
      {
        metadata,
        spec: httpServiceSpec(selector, config.port),
      },
      child,
    );

    this.autoscaler = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      childName(name, "hpa"),
      {
        metadata,
        spec: {
          scaleTargetRef: {
            apiVersion: "apps/v1",
            kind: "Deployment",
            name: this.deployment.metadata.name,
          },
          minReplicas: this.replicas.min,
          maxReplicas: this.replicas.max,
          metrics: [
            {
              type: "Resource",
              resource: {
                name: "cpu",
                target: { type: "Utilization", averageUtilization: config.targetCpuPercent },
              },
            },
          ],
          // Scale out at once, scale in slowly: a burst after a failover must not flap the pool.
          behavior: {
            scaleDown: {
              stabilizationWindowSeconds: 300,
              policies: [{ type: "Pods", value: 1, periodSeconds: 60 }],
            },
          },
        },
      },
      child,
    );

    // maxUnavailable (not minAvailable) so a one-pod standby pool can still be drained.
    new k8s.policy.v1.PodDisruptionBudget(
      childName(name, "pdb"),
      {
        metadata,
        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
      },
      child,
    );

    this.registerOutputs({
      serviceName: this.service.metadata.name,
      minReplicas: this.replicas.min,
      maxReplicas: this.replicas.max,
    });
  }
}
