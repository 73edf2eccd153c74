/** The Observability component alone, under recording mocks. */
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defaultResolved, type ResolvedObservability } from "./support/configs";
import { albAlarms } from "../../components/observability/alarms/builders";
import { Observability } from "../../components/observability/observability";
import { PROMETHEUS_RULE_TYPE } from "../../components/observability/plan";
import { vegaRuleFile } from "../../components/observability/rules";
import { DASHBOARD_UIDS, VEGA_DASHBOARDS } from "../../dashboards";
import { cpuCores, memoryBytes } from "../../config";
import { REDACTED, synth, type Synth } from "../harness";
import { danglingReferences, type K8sObject } from "../plan/k8s-references";

const config: ResolvedObservability = {
  ...defaultResolved(),
  prometheusRelease: "monitoring",
  alerting: {
    subscriptions: [
      { protocol: "email", endpoint: "oncall@example.com" },
      { protocol: "https", endpoint: "https://events.example.com/integration/abc123" },
    ],
  },
};
const alarms = albAlarms({
  name: "edge",
  loadBalancer: "app/vega/1",
  targetGroup: "targetgroup/gw/2",
  thresholds: config.thresholds,
});

let s: Synth;
beforeAll(async () => {
  s = await synth(() => {
    const o = new Observability("vega-test-obs", {
      region: "eu-west-1",
      namespace: "vega",
      config,
      gatewayDeployment: config.targets.gatewayDeployment,
      dashboards: VEGA_DASHBOARDS,
      alarms,
      protect: true,
    });
    return { alertTopicArn: o.alertTopicArn, otlp: o.otlpGrpcEndpoint };
  });
});

const k8s = (type: string) => s.ofType(`kubernetes:${type}`);
const inputs = (r: { inputs: Record<string, unknown> }) => r.inputs as Record<string, any>;

describe("Observability", () => {
  it("publishes the rules as a PrometheusRule with the configured release label", () => {
    const rule = s.one(PROMETHEUS_RULE_TYPE, "-rules");
    expect(inputs(rule)).toMatchObject({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { namespace: "vega", labels: { release: "monitoring" } },
    });
    expect(inputs(rule).spec).toEqual(vegaRuleFile(config, "vega"));
  });

  it("ships each dashboard as a ConfigMap the Grafana sidecar loads", () => {
    const maps = k8s("core/v1:ConfigMap").filter(
      (c) => inputs(c).metadata.labels?.grafana_dashboard === "1",
    );
    expect(maps.map((c) => Object.keys(inputs(c).data)[0])).toEqual(
      DASHBOARD_UIDS.map((uid) => `${uid}.json`),
    );
    for (const c of maps) {
      const [file, json] = Object.entries(inputs(c).data as Record<string, string>)[0]!;
      expect(JSON.parse(json).uid).toBe(file.replace(/\.json$/, ""));
      expect(inputs(c).metadata.annotations.grafana_folder).toBe(config.dashboards.folder);
    }
  });

  it("encrypts the alert topic with its own protected key that CloudWatch may use", () => {
    const topic = s.one("aws:sns/topic:Topic");
    const key = s.one("aws:kms/key:Key");
    expect(inputs(topic).kmsMasterKeyId).toMatch(/^arn:aws:kms:eu-west-1:/);
    expect(key.protect).toBe(true);
    const policy = JSON.parse(inputs(key).policy);
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      }),
    );
    const topicPolicy = JSON.parse(inputs(s.one("aws:sns/topicPolicy:TopicPolicy")).policy);
    expect(topicPolicy.Statement[0].Condition.StringEquals["aws:SourceAccount"]).toBe(
      "123456789012",
    );
    expect([topic, key].every((r) => r.region === "eu-west-1")).toBe(true);
  });

  it("subscribes the configured endpoints, an https endpoint as a secret", () => {
    const subs = s.ofType("aws:sns/topicSubscription:TopicSubscription");
    expect(subs.map((x) => inputs(x).protocol).sort()).toEqual(["email", "https"]);
    const https = subs.find((x) => inputs(x).protocol === "https")!;
    expect(inputs(https).endpoint).toBe(REDACTED);
    expect(https.secretPaths).toContain("endpoint");
    // An email address is no credential: it stays readable in the plan.
    const email = subs.find((x) => inputs(x).protocol === "email")!;
    expect(inputs(email).endpoint).toBe("oncall@example.com");
    expect(email.secretPaths).not.toContain("endpoint");
  });

  it("creates each alarm it is given, in its region, notifying the topic on alarm and recovery", async () => {
    const created = s.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(created.map((a) => a.name).sort()).toEqual(
      alarms.map((a) => `vega-test-obs-alarms-${a.id}`).sort(),
    );
    const topicArn = s.outputs.alertTopicArn;
    for (const a of created) {
      expect(a.region).toBe("eu-west-1");
      expect(inputs(a).alarmActions).toEqual([topicArn]);
      expect(inputs(a).okActions).toEqual([topicArn]);
    }
  });

  it("runs the collector: config, two replicas spread over zones, a Service for OTLP, a PDB", () => {
    const configMap = k8s("core/v1:ConfigMap").find(
      (c) => inputs(c).metadata.name === "otel-collector-config",
    )!;
    const collector = parse(inputs(configMap).data["collector.yaml"]);
    expect(collector.exporters["otlp/jaeger"].endpoint).toBe(
      "jaeger-collector.observability.svc:4317",
    );
    const deployment = inputs(s.one("kubernetes:apps/v1:Deployment", "-collector-deployment"));
    expect(deployment.spec.replicas).toBe(config.tracing.replicas);
    expect(deployment.spec.template.metadata.annotations["vega.io/config-sha256"]).toMatch(
      /^[0-9a-f]{64}$/,
    );
    const container = deployment.spec.template.spec.containers[0];
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(container.resources.limits.memory).toBe(`${config.tracing.memoryLimitMiB}Mi`);
    const service = inputs(s.one("kubernetes:core/v1:Service", "-collector-service"));
    expect(service.spec.ports.map((p: { port: number }) => p.port)).toEqual([4317, 4318]);
    expect(s.ofType("kubernetes:policy/v1:PodDisruptionBudget")).toHaveLength(1);
    expect(s.outputs.otlp).toBe("otel-collector.vega.svc:4317");
  });

  it("parents every child to itself", () => {
    const root = s.one("vega:observability:Observability");
    for (const r of s.resources.filter((x) => x !== root && x.type !== "pulumi:pulumi:Stack")) {
      let p = s.parentOf(r);
      while (p && p !== root) p = s.parentOf(p);
      expect(p, `${r.name} sits under Observability`).toBe(root);
    }
  });

  it("refuses bad alarm specs before registering anything", () => {
    const bad = [{ ...alarms[0]!, evaluationPeriods: 1, datapointsToAlarm: 3 }];
    expect(
      () =>
        new Observability("bad", {
          region: "eu-west-1",
          namespace: "vega",
          config,
          gatewayDeployment: "gw",
          dashboards: VEGA_DASHBOARDS,
          alarms: bad,
        }),
    ).toThrow(
      /^CloudWatchAlarms bad-alarms:\n  alarm .*: datapointsToAlarm must be from 1 to evaluationPeriods/,
    );
  });
});

describe("Observability: names, labels and the optional parts", () => {
  it("names every Kubernetes object as the API requires, each reference resolved among them", () => {
    const objects = s.resources
      .filter((r) => r.type.startsWith("kubernetes:"))
      .map((r) => r.inputs as unknown as K8sObject);
    expect(objects.length).toBeGreaterThan(5);
    for (const o of objects)
      expect(o.metadata.name, o.kind).toMatch(/^(?=.{1,253}$)[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    expect(danglingReferences(objects, ["vega"])).toEqual([]);
  });

  it("runs the collector as the kubelet would: its config file mounted, probes and Service on named ports", () => {
    const deployment = inputs(s.one("kubernetes:apps/v1:Deployment", "-collector-deployment"));
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(container.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    // --config=<path>: a file of a ConfigMap the container mounts.
    const [, configPath] = /^--config=(.+)$/.exec(container.args[0])!;
    const mount = container.volumeMounts.find((m: any) =>
      configPath!.startsWith(`${m.mountPath}/`),
    );
    const volume = pod.volumes.find((v: any) => v.name === mount.name);
    const configMap = k8s("core/v1:ConfigMap").find(
      (c) => inputs(c).metadata.name === volume.configMap.name,
    )!;
    expect(Object.keys(inputs(configMap).data)).toContain(
      configPath!.slice(mount.mountPath.length + 1),
    );
    expect(mount.readOnly).toBe(true);
    // Memory requested as limited (never evicted for overuse below it); CPU as configured.
    expect(cpuCores(container.resources.requests.cpu)).toBe(
      config.tracing.cpuRequestMillicores / 1000,
    );
    expect(memoryBytes(container.resources.requests.memory)).toBe(
      config.tracing.memoryLimitMiB * 2 ** 20,
    );
    expect(container.resources.limits.memory).toBe(container.resources.requests.memory);
    const ports = new Map(container.ports.map((p: any) => [p.name, p.containerPort]));
    expect(ports.size).toBe(3);
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(ports.has(probe.httpGet.port)).toBe(true);
      expect(probe.httpGet.path).toBe("/");
    }
    const service = inputs(s.one("kubernetes:core/v1:Service", "-collector-service"));
    for (const p of service.spec.ports) expect(ports.get(p.targetPort), p.name).toBe(p.port);
    // Port 4317 speaks OTLP over gRPC, 4318 over HTTP: meshes and load balancers route by it.
    expect(service.spec.ports.map((p: any) => [p.port, p.appProtocol])).toEqual([
      [4317, "grpc"],
      [4318, "http"],
    ]);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.topologySpreadConstraints[0]).toMatchObject({
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "ScheduleAnyway",
      labelSelector: deployment.spec.selector,
    });
  });

  it("labels the collector's objects as Kubernetes recommends; its Deployment selects by them", () => {
    const collector = s.resources.filter(
      (r) =>
        r.type.startsWith("kubernetes:") && inputs(r).metadata.name.startsWith("otel-collector"),
    );
    expect(collector.map((r) => r.type).sort()).toEqual([
      "kubernetes:apps/v1:Deployment",
      "kubernetes:core/v1:ConfigMap",
      "kubernetes:core/v1:Service",
      "kubernetes:policy/v1:PodDisruptionBudget",
    ]);
    const recommended = {
      "app.kubernetes.io/name": "otel-collector",
      "app.kubernetes.io/part-of": "vega",
    };
    for (const r of collector) expect(inputs(r).metadata.labels, r.name).toEqual(recommended);
    // apps/v1 refuses a Deployment with an empty selector.
    const deployment = inputs(s.one("kubernetes:apps/v1:Deployment", "-collector-deployment"));
    expect(deployment.spec.selector.matchLabels).toEqual(recommended);
  });

  it("names each dashboard ConfigMap after its uid, labelled as part of Vega, in Vega's namespace by default", () => {
    const maps = k8s("core/v1:ConfigMap").filter(
      (c) => inputs(c).metadata.labels?.grafana_dashboard === "1",
    );
    expect(maps.map((c) => inputs(c).metadata.name)).toEqual(
      DASHBOARD_UIDS.map((uid) => `${uid}-dashboard`),
    );
    for (const c of maps) {
      expect(inputs(c).metadata.namespace, c.name).toBe("vega");
      expect(inputs(c).metadata.labels["app.kubernetes.io/part-of"], c.name).toBe("vega");
    }
    const rule = s.one(PROMETHEUS_RULE_TYPE, "-rules");
    expect(inputs(rule).metadata.labels["app.kubernetes.io/part-of"]).toBe("vega");
  });

  it("keeps its children's names, their identity (a renamed child is replaced)", () => {
    const root = s.one("vega:observability:Observability");
    expect(s.childRoles(root)).toEqual(
      [
        "alarms",
        "alerts",
        "collector",
        "rules",
        ...DASHBOARD_UIDS.map((uid) => `dashboard-${uid}`),
      ].sort(),
    );
  });

  describe("without alarms or tracing, dashboards in Grafana's namespace", () => {
    let bare: Synth;
    beforeAll(async () => {
      bare = await synth(() => {
        const o = new Observability("vega-bare-obs", {
          region: "eu-west-1",
          namespace: "vega",
          config: {
            ...config,
            tracing: { ...config.tracing, enabled: false },
            dashboards: { ...config.dashboards, namespace: "monitoring" },
          },
          gatewayDeployment: config.targets.gatewayDeployment,
          dashboards: VEGA_DASHBOARDS,
        });
        return { otlp: o.otlpGrpcEndpoint };
      });
    });

    it("creates no alarm group, no collector, and exports no OTLP endpoint", () => {
      const root = bare.one("vega:observability:Observability");
      expect(bare.childRoles(root)).not.toContain("alarms");
      expect(bare.childRoles(root)).not.toContain("collector");
      expect(bare.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")).toEqual([]);
      expect(bare.ofType("kubernetes:apps/v1:Deployment")).toEqual([]);
      expect(bare.outputs.otlp).toBeUndefined();
    });

    it("puts the dashboards where the configured Grafana sidecar looks; the rules stay in Vega's", () => {
      const maps = bare
        .ofType("kubernetes:core/v1:ConfigMap")
        .filter((c) => inputs(c).metadata.labels?.grafana_dashboard === "1");
      expect(maps).toHaveLength(DASHBOARD_UIDS.length);
      for (const c of maps) expect(inputs(c).metadata.namespace).toBe("monitoring");
      expect(inputs(bare.one(PROMETHEUS_RULE_TYPE)).metadata.namespace).toBe("vega");
    });
  });

  describe("a single collector replica", () => {
    let single: Synth;
    beforeAll(async () => {
      single = await synth(() => {
        new Observability("vega-single-obs", {
          region: "eu-west-1",
          namespace: "vega",
          config: { ...config, tracing: { ...config.tracing, enabled: true, replicas: 1 } },
          gatewayDeployment: config.targets.gatewayDeployment,
          dashboards: VEGA_DASHBOARDS,
        });
      });
    });

    it("gets no disruption budget: minAvailable 1 over one pod would block every node drain", () => {
      expect(single.ofType("kubernetes:apps/v1:Deployment")).toHaveLength(1);
      expect(single.ofType("kubernetes:policy/v1:PodDisruptionBudget")).toEqual([]);
    });
  });
});
