import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { TracingConfig } from "../../config";
import { childName } from "../core";
import { containerSecurityContext, podSecurityContext } from "../workload";
import { collectorConfigYaml, HEALTH_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from "./otel";

export const COLLECTOR_CONFIG_FILE = "collector.yaml";

export interface OtelCollectorArgs {
  /** Namespace of the collector (Vega's). Required. */
  namespace: pulumi.Input<string>;
  /** Backend, endpoint, replicas, image and sizing; config supplies the defaults. Required. */
  tracing: TracingConfig;
}

/**
 * The OpenTelemetry Collector (seed 15.3): services send OTLP to its Service on 4317 (gRPC) or
 * 4318 (HTTP); it batches under a memory limit and exports to Jaeger or Zipkin.
 */
export class OtelCollector extends pulumi.ComponentResource {
  /** `otel-collector.<namespace>.svc:4317`, for services' OTEL_EXPORTER_OTLP_ENDPOINT. */
  public readonly otlpGrpcEndpoint: pulumi.Output<string>;

  constructor(name: string, args: OtelCollectorArgs, opts?: pulumi.ComponentResourceOptions) {
    // Renders and checks the config first: a bad one throws before anything is registered.
    const config = collectorConfigYaml(args.tracing);
    super("vega:observability:OtelCollector", name, {}, opts);
    const child = { parent: this };
    const t = args.tracing;
    const labels = {
      "app.kubernetes.io/name": "otel-collector",
      "app.kubernetes.io/part-of": "vega",
    };
    const metadata = (suffix: string) => ({ name: suffix, namespace: args.namespace, labels });

    const configMap = new k8s.core.v1.ConfigMap(
      childName(name, "config"),
      {
        metadata: metadata("otel-collector-config"),
        data: { [COLLECTOR_CONFIG_FILE]: config },
      },
      child,
    );

    new k8s.apps.v1.Deployment(
      childName(name, "deployment"),
      {
        metadata: metadata("otel-collector"),
        spec: {
          replicas: t.replicas,
          selector: { matchLabels: labels },
          template: {
            metadata: {
              labels,
              // A config change rolls the pods.
              annotations: {
                "vega.io/config-sha256": createHash("sha256").update(config).digest("hex"),
              },
            },
            spec: {
              // The collector's pipelines call no Kubernetes API (no k8sattributes): no token.
              automountServiceAccountToken: false,
              // The collector image's own user is 10001, the shared non-root id.
              securityContext: podSecurityContext(),
              topologySpreadConstraints: [
                {
                  maxSkew: 1,
                  topologyKey: "topology.kubernetes.io/zone",
                  whenUnsatisfiable: "ScheduleAnyway",
                  labelSelector: { matchLabels: labels },
                },
              ],
              containers: [
                {
                  name: "otel-collector",
                  image: t.image,
                  args: [`--config=/conf/${COLLECTOR_CONFIG_FILE}`],
                  ports: [
                    { name: "otlp-grpc", containerPort: OTLP_GRPC_PORT },
                    { name: "otlp-http", containerPort: OTLP_HTTP_PORT },
                    { name: "health", containerPort: HEALTH_PORT },
                  ],
                  readinessProbe: { httpGet: { path: "/", port: "health" }, periodSeconds: 10 },
                  livenessProbe: {
                    httpGet: { path: "/", port: "health" },
                    periodSeconds: 15,
                    failureThreshold: 3,
                  },
                  resources: {
                    requests: {
                      cpu: `${t.cpuRequestMillicores}m`,
                      memory: `${t.memoryLimitMiB}Mi`,
                    },
                    limits: { memory: `${t.memoryLimitMiB}Mi` },
                  },
                  securityContext: containerSecurityContext(),
                  volumeMounts: [{ name: "config", mountPath: "/conf", readOnly: true }],
                },
              ],
              volumes: [{ name: "config", configMap: { name: configMap.metadata.name } }],
            },
          },
        },
      },
      child,
    );

    const service = new k8s.core.v1.Service(
      childName(name, "service"),
      {
        metadata: metadata("otel-collector"),
        spec: {
          type: "ClusterIP",
          selector: labels,
          ports: [
            {
              name: "otlp-grpc",
              port: OTLP_GRPC_PORT,
              targetPort: "otlp-grpc",
              appProtocol: "grpc",
            },
            {
              name: "otlp-http",
              port: OTLP_HTTP_PORT,
              targetPort: "otlp-http",
              appProtocol: "http",
            },
          ],
        },
      },
      child,
    );

    if (t.replicas > 1) {
      new k8s.policy.v1.PodDisruptionBudget(
        childName(name, "pdb"),
        {
          metadata: metadata("otel-collector"),
          spec: { minAvailable: 1, selector: { matchLabels: labels } },
        },
        child,
      );
    }

    this.otlpGrpcEndpoint = pulumi.interpolate`${service.metadata.name}.${service.metadata.namespace}.svc:${OTLP_GRPC_PORT}`;
    this.registerOutputs({ otlpGrpcEndpoint: this.otlpGrpcEndpoint });
  }
}
