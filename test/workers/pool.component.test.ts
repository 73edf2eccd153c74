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
