/**
 * Checks every stack must pass on its synthesised resources: each seed 17.x figure where it
 * lands, read from the seed copy, and the policy pack. Shared by the per-stack test files (each
 * file synthesises one stack: the Pulumi runtime is global to a process).
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { budgetFromResources, edgePlanExtension } from "../../components/edge/plan";
import { RUNTIME_FILE } from "../../components/gateway";
import { ALB_ALGORITHM_FOR_SEED } from "../../config";
import { blocking, runPolicies } from "../../policies/runner";
import type { Synth } from "../harness";
import { seedLoadBalancer, seedSeconds, seedYaml } from "../harness/seed";

export function describeSeedFigures(stack: () => Synth): void {
  const seed = seedLoadBalancer();

  describe("seed 17.2 on the target group, listener and gateways", () => {
    it("health check /health every 5 s, timeout 2 s, healthy 2, unhealthy 3", () => {
      const hc = stack().one("aws:lb/targetGroup:TargetGroup").inputs.healthCheck as any;
      expect(hc).toMatchObject({
        enabled: true,
        path: seed.path,
        interval: seed.intervalSeconds,
        timeout: seed.timeoutSeconds,
        healthyThreshold: seed.healthyThreshold,
        unhealthyThreshold: seed.unhealthyThreshold,
      });
    });

    it("least connections as ALB's least outstanding requests, no stickiness, IP targets on 8080", () => {
      const tg = stack().one("aws:lb/targetGroup:TargetGroup").inputs as any;
      expect(tg.loadBalancingAlgorithmType).toBe(
        ALB_ALGORITHM_FOR_SEED[seed.algorithm as keyof typeof ALB_ALGORITHM_FOR_SEED],
      );
      expect(tg.stickiness).toEqual({ type: "lb_cookie", enabled: seed.stickySession });
      expect(tg).toMatchObject({ targetType: "ip", port: seed.port });
    });

    it("three gateways (the seed's three equal backends) on 8080, bound to the target group", () => {
      const gateway = stack().one("kubernetes:apps/v1:Deployment", "-gateway-deployment")
        .inputs as any;
      expect(gateway.spec.replicas).toBe(seed.backends.length);
      expect(gateway.spec.template.spec.containers[0].ports[0].containerPort).toBe(seed.port);
      const binding = stack().one("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding")
        .inputs as any;
      expect(binding.spec.serviceRef).toEqual({ name: gateway.metadata.name, port: seed.port });
      expect(binding.spec.targetGroupARN).toContain(
        `:targetgroup/${stack().one("aws:lb/targetGroup:TargetGroup").inputs.name}/`,
      );
    });

    it("HTTPS with a TLS 1.3 policy, HTTP only redirects", () => {
      const listeners = stack()
        .ofType("aws:lb/listener:Listener")
        .map((l) => l.inputs as any);
      expect(listeners.map((l) => `${l.protocol}:${l.port}`).sort()).toEqual([
        "HTTP:80",
        "HTTPS:443",
      ]);
      expect(listeners.find((l) => l.protocol === "HTTPS").sslPolicy).toMatch(
        /^ELBSecurityPolicy-TLS13-/,
      );
      expect(listeners.find((l) => l.protocol === "HTTP").defaultActions[0].type).toBe("redirect");
    });
  });

  describe("seed 17.3 and 17.4 in the gateway's runtime ConfigMap", () => {
    const runtime = () =>
      parse(
        String(
          (stack().one("kubernetes:core/v1:ConfigMap", "-gateway-runtime").inputs as any).data[
            RUNTIME_FILE
          ],
        ),
      );

    it("circuit breakers: defaults 50/80/5 s/10/100/30 s/5, embedding_service 30 skip_embedding, trino 40 route_to_duckdb", () => {
      expect(runtime().circuit_breaker).toEqual(seedYaml("17.4").circuit_breaker);
    });

    it("service discovery: the seed's registration and services, provider kubernetes", () => {
      const { provider: _provider, ...seed173 } = seedYaml("17.3").service_discovery;
      const { provider, namespace: _namespace, ...rendered } = runtime().service_discovery;
      expect(provider).toBe("kubernetes");
      expect(rendered).toEqual(seed173);
    });

    it("the registration check interval is the readiness period", () => {
      const gateway = stack().one("kubernetes:apps/v1:Deployment", "-gateway-deployment")
        .inputs as any;
      expect(gateway.spec.template.spec.containers[0].readinessProbe.periodSeconds).toBe(
        seedSeconds(seedYaml("17.3").service_discovery.registration.health_check.interval),
      );
    });
  });

  describe("seed 17.5 failure detection", () => {
    it("the plan shows the budget next to the seed's targets, all within", () => {
      const budget = budgetFromResources(stack().resources);
      expect(budget.map((b) => b.withinTarget)).toEqual([true, true]);
      const sections = edgePlanExtension.sections!({
        stack: "test",
        resources: stack().resources,
        outputs: stack().outputs,
      });
      const markdown = sections.find((x) => x.title === "Failure-detection budget")!.markdown;
      for (const line of budget) expect(markdown).toContain(`**${line.seconds} s**`);
    });
  });

  describe("offline plan", () => {
    it("writes the gateway's runtime config as the pods read it", () => {
      const artifacts = edgePlanExtension.artifacts!({
        stack: "test",
        resources: stack().resources,
        outputs: stack().outputs,
      });
      const configMap = stack().one("kubernetes:core/v1:ConfigMap", "-gateway-runtime")
        .inputs as any;
      expect(artifacts).toEqual([
        { path: `gateway/${RUNTIME_FILE}`, content: configMap.data[RUNTIME_FILE] },
      ]);
    });
  });

  describe("policy pack", () => {
    it("finds no blocking violation", async () => {
      const report = await runPolicies(stack().resources);
      expect(blocking(report)).toEqual([]);
    });
  });
}

/** The failover roles of a stack's records. */
export function failoverRoles(stack: Synth): string[] {
  return stack
    .ofType("aws:route53/record:Record")
    .flatMap((r) =>
      ((r.inputs.failoverRoutingPolicies as { type: string }[] | undefined) ?? []).map(
        (p) => p.type,
      ),
    );
}

/** minReplicas/maxReplicas of each worker pool's autoscaler, by pool. */
export function poolSizes(stack: Synth): Record<string, { min: number; max: number }> {
  return Object.fromEntries(
    stack.ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map((h) => {
      const inputs = h.inputs as any;
      return [
        inputs.metadata.labels["app.kubernetes.io/component"],
        { min: inputs.spec.minReplicas, max: inputs.spec.maxReplicas },
      ];
    }),
  );
}
