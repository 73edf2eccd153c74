import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ObservabilityConfig } from "../../config";
import { childName } from "../core";
import { CloudWatchAlarms, validateAlarmSpecs } from "./alarms/alarms";
import type { AlarmSpec } from "./alarms/spec";
import type { AlertConfig } from "./alerts";
import { OtelCollector } from "./collector";
import { vegaRuleFile } from "./rules";
import { AlertTopic } from "./topic";

/** Label and value the Grafana sidecar of kube-prometheus-stack loads dashboards by. */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;
/** Annotation the sidecar reads the folder from (its `folderAnnotation`). */
export const GRAFANA_FOLDER_ANNOTATION = "grafana_folder";
export const PROMETHEUS_RULE_NAME = "vega-rules";

/**
 * The Grafana dashboards this component ships, one ConfigMap each. dashboards/ builds them from
 * this component's alert definitions, so it sits above components/ and the program passes them
 * in (dashboards/ `vegaDashboards`): the component never imports dashboards/.
 */
export interface DashboardSet {
  /** The uids, in render order: known before rendering, they name the ConfigMaps. */
  uids: readonly string[];
  /** Renders every dashboard's model from the same config as the rules, in `uids` order. */
  render(ctx: {
    config: AlertConfig;
    namespace: string;
    /** The region's OpenSearch domain (CloudWatch DomainName); absent: every domain. */
    searchDomainName?: string;
  }): { uid: string; json: string }[];
}

export interface ObservabilityArgs {
  /** AWS region of the alert topic and the alarms. Required. */
  region: string;
  /** Vega's namespace: scopes the rules and holds the PrometheusRule and the collector. Required. */
  namespace: pulumi.Input<string>;
  /** The stack's observability section (seed defaults applied). Required. */
  config: ObservabilityConfig;
  /** The gateways' Deployment, watched by the gateway alerts. Required. */
  gatewayDeployment: string;
  /** The Grafana dashboards to ship as ConfigMaps. Required. */
  dashboards: DashboardSet;
  /**
   * CloudWatch alarms on this region's AWS-managed parts, from the builders in
   * alarms/builders.ts (albAlarms, rdsAlarms, openSearchAlarms, s3ReplicationAlarms). Default none.
   */
  alarms?: AlarmSpec[];
  /** The region's OpenSearch domain: the Data Stores dashboard's OpenSearch panels show it. Default: any domain. */
  searchDomainName?: string;
  /** RDS identifiers of the region's metadata database (writer first), for the dashboards. Default none. */
  databaseInstances?: string[];
  /** Protect the alert topic's KMS key against deletion. Default true. */
  protect?: boolean;
}

/**
 * Monitoring of one region (seed 15): the PrometheusRule kube-prometheus-stack picks up, the
 * dashboards as ConfigMaps for the Grafana sidecar, CloudWatch alarms on the AWS-managed parts
 * notifying an encrypted SNS topic, and the OpenTelemetry Collector for traces.
 */
export class Observability extends pulumi.ComponentResource {
  /** The topic every CloudWatch alarm of this region notifies. */
  public readonly alertTopicArn: pulumi.Output<string>;
  /** Where services send OTLP traces (gRPC), when tracing is enabled. */
  public readonly otlpGrpcEndpoint: pulumi.Output<string | undefined>;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    const alarms = args.alarms ?? [];
    validateAlarmSpecs(childName(name, "alarms"), alarms);
    super("vega:observability:Observability", name, {}, opts);
    const child = { parent: this };
    const o = {
      ...args.config,
      targets: {
        ...args.config.targets,
        gatewayDeployment: args.gatewayDeployment,
        databaseInstances: args.databaseInstances,
      },
    };
    const namespace = pulumi.output(args.namespace);
    const partOf = { "app.kubernetes.io/part-of": "vega" };

    const topic = new AlertTopic(
      childName(name, "alerts"),
      { region: args.region, subscriptions: o.alerting.subscriptions, protect: args.protect },
      child,
    );
    this.alertTopicArn = topic.topicArn;
    if (alarms.length > 0) {
      new CloudWatchAlarms(
        childName(name, "alarms"),
        { region: args.region, topicArn: topic.topicArn, alarms },
        child,
      );
    }

    new k8s.apiextensions.CustomResource(
      childName(name, "rules"),
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: {
          name: PROMETHEUS_RULE_NAME,
          namespace,
          labels: { ...partOf, release: o.prometheusRelease },
        },
        spec: namespace.apply((ns) => vegaRuleFile(o, ns)),
      },
      child,
    );

    const dashboards = namespace.apply((ns) =>
      args.dashboards.render({
        config: o,
        namespace: ns,
        searchDomainName: args.searchDomainName,
      }),
    );
    for (const [i, uid] of args.dashboards.uids.entries()) {
      new k8s.core.v1.ConfigMap(
        childName(name, `dashboard-${uid}`),
        {
          metadata: {
            name: `${uid}-dashboard`,
            namespace: o.dashboards.namespace ?? namespace,
            labels: { ...partOf, ...GRAFANA_DASHBOARD_LABEL },
            annotations: { [GRAFANA_FOLDER_ANNOTATION]: o.dashboards.folder },
          },
          data: { [`${uid}.json`]: dashboards.apply((d) => d[i]!.json) },
        },
        child,
      );
    }

    this.otlpGrpcEndpoint = o.tracing.enabled
      ? new OtelCollector(childName(name, "collector"), { namespace, tracing: o.tracing }, child)
          .otlpGrpcEndpoint
      : pulumi.output(undefined);

    this.registerOutputs({
      alertTopicArn: this.alertTopicArn,
      otlpGrpcEndpoint: this.otlpGrpcEndpoint,
    });
  }
}
