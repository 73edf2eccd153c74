import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dnsFailoverSeconds,
  failureDetectionBudget,
  loadBalancerDropSeconds,
} from "../../components/edge/budget";
import { ALB_ALIAS_TTL_SECONDS, SEED_REGION_FAILOVER_RTO_SECONDS } from "../../config";
import { parsedPrimary } from "../harness/config";
import { seedLoadBalancer } from "../harness/seed";

const seed = seedLoadBalancer();

describe("failure-detection budget", () => {
  it("the ALB drops a dead gateway after unhealthy threshold × interval + timeout", () => {
    expect(loadBalancerDropSeconds(seed)).toBe(
      seed.unhealthyThreshold * seed.intervalSeconds + seed.timeoutSeconds,
    );
  });

  it("Route 53 fails over after failure threshold × request interval + TTL", () => {
    expect(
      dnsFailoverSeconds({ failureThreshold: 3, requestIntervalSeconds: 30, ttlSeconds: 60 }),
    ).toBe(3 * 30 + 60);
  });

  it("with the default config: the seed's drop time, and failover far inside the region RTO", () => {
    const { edge } = parsedPrimary();
    const [drop, failover] = failureDetectionBudget(
      edge.targetGroup.healthCheck,
      edge.dns.healthCheck,
    );
    expect(drop!.seconds).toBe(loadBalancerDropSeconds(seed));
    expect(drop!.targetSeconds).toBe(loadBalancerDropSeconds(seed));
    expect(drop!.withinTarget).toBe(true);
    expect(failover!.seconds).toBe(
      edge.dns.healthCheck.failureThreshold * edge.dns.healthCheck.requestIntervalSeconds +
        ALB_ALIAS_TTL_SECONDS,
    );
    expect(failover!.targetSeconds).toBe(SEED_REGION_FAILOVER_RTO_SECONDS);
    expect(failover!.withinTarget).toBe(true);
  });

  it("says in words what each line measures, and against which seed row", () => {
    const { edge } = parsedPrimary();
    const lines = failureDetectionBudget(edge.targetGroup.healthCheck, edge.dns.healthCheck);
    expect(lines.map((l) => [l.what, l.target])).toEqual([
      [
        "ALB drops a dead gateway",
        `seed 17.2 health check (${seed.unhealthyThreshold} × ${seed.intervalSeconds} s + ${seed.timeoutSeconds} s)`,
      ],
      ["Route 53 fails the region over", "seed 16.3 region_failover RTO"],
    ]);
  });

  it("a slower health check than the seed's is flagged over target", () => {
    const [drop] = failureDetectionBudget(
      { ...seed, intervalSeconds: seed.intervalSeconds * 2 },
      { failureThreshold: 3, requestIntervalSeconds: 10 },
    );
    expect(drop!.withinTarget).toBe(false);
    expect(drop!.formula).toContain(`interval ${seed.intervalSeconds * 2} s`);
  });

  it("a DNS failover over the region RTO is flagged, one exactly at it is not", () => {
    const ttlSeconds = 60;
    // failureThreshold × requestInterval + TTL = RTO, then one interval more.
    const requestIntervalSeconds = 30;
    const atRto = (SEED_REGION_FAILOVER_RTO_SECONDS - ttlSeconds) / requestIntervalSeconds;
    const line = (failureThreshold: number) =>
      failureDetectionBudget(seed, { failureThreshold, requestIntervalSeconds, ttlSeconds })[1]!;
    expect(line(atRto).seconds).toBe(SEED_REGION_FAILOVER_RTO_SECONDS);
    expect(line(atRto).withinTarget).toBe(true);
    expect(line(atRto + 1).withinTarget).toBe(false);
    expect(line(atRto + 1).formula).toBe(
      `failure threshold ${atRto + 1} × request interval 30 s + alias TTL 60 s`,
    );
  });

  it("a load-balancer drop exactly at the seed's is within target", () => {
    const [drop] = failureDetectionBudget(seed, {
      failureThreshold: 3,
      requestIntervalSeconds: 10,
    });
    expect(drop!.seconds).toBe(drop!.targetSeconds);
    expect(drop!.withinTarget).toBe(true);
  });

  it("grows with every setting", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 300 }),
        fc.integer({ min: 2, max: 120 }),
        fc.integer({ min: 2, max: 9 }),
        (interval, timeout, threshold) => {
          const base = {
            intervalSeconds: interval,
            timeoutSeconds: timeout,
            unhealthyThreshold: threshold,
          };
          const t = loadBalancerDropSeconds(base);
          expect(loadBalancerDropSeconds({ ...base, unhealthyThreshold: threshold + 1 })).toBe(
            t + interval,
          );
          expect(loadBalancerDropSeconds({ ...base, intervalSeconds: interval + 1 })).toBe(
            t + threshold,
          );
          expect(loadBalancerDropSeconds({ ...base, timeoutSeconds: timeout + 1 })).toBe(t + 1);
        },
      ),
    );
  });
});
