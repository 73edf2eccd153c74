import { beforeAll, describe, expect, it } from "vitest";
import { WORKER_SERVICE_NAME, WorkerPool, poolReplicas } from "../../components/workers";
import { WORKER_POOLS } from "../../config";
import { synth, type Synth } from "../harness";
import { parsedPrimary } from "../harness/config";

const config = parsedPrimary();

let s: Synth;
beforeAll(async () => {
  s = await synth(() => {
    new WorkerPool("full-query", {
      namespace: "vega",
      pool: "query",
      config: config.workers.query,
      mode: "full",
    });
    new WorkerPool("standby-query", {
      namespace: "standby",
      pool: "query",
      config: config.workers.query,
      mode: "standby",
    });
  });
});

const hpa = (prefix: string) =>
  s.one("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", `${prefix}-query-hpa`).inputs as any;

describe("WorkerPool", () => {
  it("sizes its autoscaler at full size or at warm-standby size", () => {
    expect(hpa("full").spec).toMatchObject({
      minReplicas: config.workers.query.replicas.min,
      maxReplicas: config.workers.query.replicas.max,
    });
    expect(hpa("standby").spec).toMatchObject({
      minReplicas: config.workers.query.standbyReplicas.min,
      maxReplicas: config.workers.query.standbyReplicas.max,
    });
    expect(hpa("standby").spec.minReplicas).toBeLessThan(hpa("full").spec.minReplicas);
  });

  it("scales its own Deployment on CPU, which leaves replicas to the autoscaler", () => {
    const deployment = s.one("kubernetes:apps/v1:Deployment", "full-query-deployment")
      .inputs as any;
    expect(deployment.spec.replicas).toBeUndefined();
    expect(hpa("full").spec.scaleTargetRef).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: deployment.metadata.name,
    });
    expect(hpa("full").spec.metrics[0].resource.target.averageUtilization).toBe(
      config.workers.query.targetCpuPercent,
    );
  });

  it("has a Service, a PDB that still lets a one-pod pool drain, and the vega-worker discovery label", () => {
    const service = s.one("kubernetes:core/v1:Service", "full-query-service").inputs as any;
    const pdb = s.one("kubernetes:policy/v1:PodDisruptionBudget", "full-query-pdb").inputs as any;
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(service.spec.selector).toEqual(pdb.spec.selector.matchLabels);
    expect(service.metadata.labels["app.kubernetes.io/name"]).toBe(WORKER_SERVICE_NAME);
    expect(config.gateway.runtime.serviceDiscovery.services.map((x) => x.name)).toContain(
      WORKER_SERVICE_NAME,
    );
  });

  it("runs hardened pods without an API token", () => {
    const pod = (s.one("kubernetes:apps/v1:Deployment", "full-query-deployment").inputs as any).spec
      .template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  it("standby is never larger than full size, for every pool's defaults", () => {
    for (const pool of WORKER_POOLS) {
      expect(poolReplicas(config.workers[pool], "standby").max).toBeLessThanOrEqual(
        poolReplicas(config.workers[pool], "full").max,
      );
    }
  });
});

describe("WorkerPool rollout and scaling", () => {
  const deployment = () =>
    s.one("kubernetes:apps/v1:Deployment", "full-query-deployment").inputs as any;

  it("rolls out without dropping capacity, and keeps five revisions to roll back to", () => {
    expect(deployment().spec.strategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" },
    });
    expect(deployment().spec.revisionHistoryLimit).toBe(5);
    expect(deployment().spec.selector.matchLabels).toEqual({
      "app.kubernetes.io/name": WORKER_SERVICE_NAME,
      "app.kubernetes.io/component": "query",
    });
  });

  it("tells each worker its pool, and probes the seed's health path, readiness every 10 s", () => {
    const [container] = deployment().spec.template.spec.containers;
    expect(container.name).toBe("query");
    expect(container.env).toEqual([{ name: "VEGA_WORKER_POOL", value: "query" }]);
    expect(container.readinessProbe.httpGet.path).toBe("/health");
    expect(container.readinessProbe.periodSeconds).toBe(10);
    expect(deployment().spec.template.spec.terminationGracePeriodSeconds).toBe(
      config.workers.query.terminationGraceSeconds,
    );
  });

  it("scales on CPU utilisation and scales in one pod a minute after five quiet minutes", () => {
    expect(hpa("full").spec.metrics).toEqual([
      {
        type: "Resource",
        resource: {
          name: "cpu",
          target: {
            type: "Utilization",
            averageUtilization: config.workers.query.targetCpuPercent,
          },
        },
      },
    ]);
    expect(hpa("full").spec.behavior).toEqual({
      scaleDown: {
        stabilizationWindowSeconds: 300,
        policies: [{ type: "Pods", value: 1, periodSeconds: 60 }],
      },
    });
  });

  it("names every object after the pool, in the namespace it is given", () => {
    const component = s.one("vega:workers:WorkerPool", "standby-query");
    expect(s.childRoles(component)).toEqual(["deployment", "hpa", "pdb", "service"]);
    const objects = s.childrenOf(component);
    for (const r of objects)
      expect((r.inputs as any).metadata, r.name).toMatchObject({
        name: "vega-worker-query",
        namespace: "standby",
      });
  });
});
