import { beforeAll, describe, expect, it } from "vitest";
import { targetHealthConditionType } from "../../components/edge";
import {
  Gateway,
  RUNTIME_FILE,
  drainTimings,
  validateGatewayArgs,
  type GatewayArgs,
} from "../../components/gateway";
import { CONFIG_HASH_ANNOTATION, configHash } from "../../components/workload";
import { imageReference } from "../../config";
import { synth, type Synth } from "../harness";
import { parsedPrimary } from "../harness/config";
import { seedYaml, seedSeconds } from "../harness/seed";

const config = parsedPrimary();
const args: GatewayArgs = {
  namespace: "vega",
  config: config.gateway,
  deregistrationDelaySeconds: config.edge.targetGroup.deregistrationDelaySeconds,
  healthPath: config.edge.targetGroup.healthCheck.path,
  targetGroupBinding: "vega-gateway",
};

let s: Synth;
let deployment: any;
let pod: any;
let container: any;
beforeAll(async () => {
  s = await synth(() => {
    new Gateway("test-gateway", args);
  });
  deployment = s.one("kubernetes:apps/v1:Deployment").inputs;
  pod = deployment.spec.template.spec;
  container = pod.containers[0];
});

describe("Gateway", () => {
  it("runs the configured replicas, spread over zones with max skew 1", () => {
    expect(deployment.spec.replicas).toBe(config.gateway.replicas);
    expect(pod.topologySpreadConstraints[0]).toMatchObject({
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
      labelSelector: { matchLabels: deployment.spec.selector.matchLabels },
    });
  });

  it("rolls without ever dropping below the replica count", () => {
    expect(deployment.spec.strategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
  });

  it("keeps all but one gateway through voluntary disruptions", () => {
    const pdb = s.one("kubernetes:policy/v1:PodDisruptionBudget").inputs as any;
    expect(pdb.spec).toEqual({
      minAvailable: config.gateway.replicas - 1,
      selector: { matchLabels: deployment.spec.selector.matchLabels },
    });
  });

  it("probes /health; the readiness period is seed 17.3's registration check interval", () => {
    const registration = seedYaml("17.3").service_discovery.registration.health_check;
    for (const probe of [
      container.readinessProbe,
      container.livenessProbe,
      container.startupProbe,
    ]) {
      expect(probe.httpGet).toEqual({ path: args.healthPath, port: "http" });
    }
    expect(container.readinessProbe.periodSeconds).toBe(seedSeconds(registration.interval));
    expect(new URL(registration.http).pathname).toBe(args.healthPath);
    expect(container.ports).toEqual([
      { name: "http", containerPort: Number(new URL(registration.http).port), protocol: "TCP" },
    ]);
  });

  it("sleeps in preStop longer than the deregistration delay, inside the grace period", () => {
    const { preStopSeconds, terminationGracePeriodSeconds } = drainTimings(
      args.deregistrationDelaySeconds,
      config.gateway.drain,
    );
    expect(container.lifecycle.preStop.sleep.seconds).toBe(preStopSeconds);
    expect(preStopSeconds).toBeGreaterThan(args.deregistrationDelaySeconds);
    expect(pod.terminationGracePeriodSeconds).toBe(terminationGracePeriodSeconds);
    expect(terminationGracePeriodSeconds).toBeGreaterThan(preStopSeconds);
  });

  it("is Ready only once the ALB finds it healthy", () => {
    expect(pod.readinessGates).toEqual([
      { conditionType: targetHealthConditionType(args.targetGroupBinding!) },
    ]);
  });

  it("runs as non-root on a read-only root, with requests and limits", () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.resources).toEqual(config.gateway.resources);
    expect(container.image).toBe(imageReference(config.gateway.image));
  });

  it("carries the hash of the runtime ConfigMap it mounts", () => {
    const configMap = s.one("kubernetes:core/v1:ConfigMap").inputs as any;
    const text = configMap.data[RUNTIME_FILE];
    expect(deployment.spec.template.metadata.annotations[CONFIG_HASH_ANNOTATION]).toBe(
      configHash(text),
    );
    expect(pod.volumes[0]).toEqual({
      name: "runtime",
      configMap: { name: configMap.metadata.name },
    });
  });

  it("reads the registry (seed 17.3 provider kubernetes) and nothing else", () => {
    const role = s.one("kubernetes:rbac.authorization.k8s.io/v1:Role").inputs as any;
    const verbs = new Set(role.rules.flatMap((r: any) => r.verbs));
    expect([...verbs].sort()).toEqual(["get", "list", "watch"]);
    expect(pod.serviceAccountName).toBe(
      (s.one("kubernetes:core/v1:ServiceAccount").inputs as any).metadata.name,
    );
    // It calls the API (the Role above), so it mounts its own account's token, never the default's.
    expect(pod.automountServiceAccountToken).toBe(true);
    const binding = s.one("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").inputs as any;
    expect(binding.subjects).toEqual([
      expect.objectContaining({ kind: "ServiceAccount", name: pod.serviceAccountName }),
    ]);
  });

  it("parents its objects to itself, named <name>-<role>; their Kubernetes names after the service", () => {
    const component = s.one("vega:gateway:Gateway", "test-gateway");
    expect(s.childRoles(component)).toEqual([
      "account",
      "deployment",
      "discovery",
      "discovery-binding",
      "pdb",
      "runtime",
      "service",
    ]);
    const k8sName = (type: string) => (s.one(type).inputs as any).metadata.name;
    expect(
      [
        "kubernetes:core/v1:ConfigMap",
        "kubernetes:core/v1:ServiceAccount",
        "kubernetes:rbac.authorization.k8s.io/v1:Role",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
        "kubernetes:apps/v1:Deployment",
      ].map(k8sName),
    ).toEqual([
      "vega-gateway-runtime",
      "vega-gateway",
      "vega-gateway-discovery",
      "vega-gateway-discovery",
      "vega-gateway",
    ]);
  });

  it("may read Services, Endpoints and EndpointSlices: what discovery needs, through its own Role", () => {
    const role = s.one("kubernetes:rbac.authorization.k8s.io/v1:Role").inputs as any;
    const read = ["get", "list", "watch"];
    expect(role.rules).toEqual([
      { apiGroups: [""], resources: ["services", "endpoints"], verbs: read },
      { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: read },
    ]);
    const binding = s.one("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").inputs as any;
    expect(binding.roleRef).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: role.metadata.name,
    });
  });

  it("exposes the pods on the gateway port for the TargetGroupBinding", () => {
    const service = s.one("kubernetes:core/v1:Service").inputs as any;
    expect(service.spec.ports).toEqual([
      { name: "http", port: config.gateway.port, targetPort: "http", protocol: "TCP" },
    ]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });

  it("hands the gateway its runtime config at /etc/vega/gateway.yaml, read-only", () => {
    expect(container.env).toContainEqual({
      name: "VEGA_GATEWAY_CONFIG",
      value: "/etc/vega/gateway.yaml",
    });
    expect(container.volumeMounts).toContainEqual({
      name: "runtime",
      mountPath: "/etc/vega",
      readOnly: true,
    });
    expect(Object.keys((s.one("kubernetes:core/v1:ConfigMap").inputs as any).data)).toEqual([
      "gateway.yaml",
    ]);
  });

  it("has no readiness gate when no TargetGroupBinding registers it", async () => {
    const unbound = await synth(() => {
      new Gateway("unbound", { ...args, targetGroupBinding: undefined });
    });
    expect(
      (unbound.one("kubernetes:apps/v1:Deployment").inputs as any).spec.template.spec
        .readinessGates,
    ).toEqual([]);
  });

  it("refuses a drain that would not outlast the deregistration delay", () => {
    expect(() =>
      validateGatewayArgs({
        ...args,
        config: { ...config.gateway, drain: { marginSeconds: 0, shutdownSeconds: 30 } },
      }),
    ).toThrow(/preStop/);
  });
});
