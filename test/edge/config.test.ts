import { describe, expect, it } from "vitest";
import {
  ALB_ALGORITHM_FOR_SEED,
  ALB_HEALTH_CHECK_LIMITS,
  albInboundRuleCounts,
  clientCidrsAdmitHealthCheckers,
  CLIENT_PORTS,
  ROUTE53_HEALTH_CHECKERS_PREFIX_LIST_WEIGHT,
  SECURITY_GROUP_RULES_QUOTA,
  SEED_REGION_FAILOVER_RTO_SECONDS,
} from "../../config";
import {
  minimalPrimary,
  parsedPrimary,
  primaryWith,
  problemsOf,
  refusedKeys,
} from "../harness/config";
import { seedLoadBalancer, seedSeconds, seedYaml } from "../harness/seed";

const seed = seedLoadBalancer();

describe("edge config defaults are seed 17.2", () => {
  const { edge, gateway } = parsedPrimary();
  const hc = edge.targetGroup.healthCheck;

  it("health check path, interval, timeout and thresholds", () => {
    expect({
      path: hc.path,
      intervalSeconds: hc.intervalSeconds,
      timeoutSeconds: hc.timeoutSeconds,
      healthyThreshold: hc.healthyThreshold,
      unhealthyThreshold: hc.unhealthyThreshold,
    }).toEqual({
      path: seed.path,
      intervalSeconds: seed.intervalSeconds,
      timeoutSeconds: seed.timeoutSeconds,
      healthyThreshold: seed.healthyThreshold,
      unhealthyThreshold: seed.unhealthyThreshold,
    });
  });

  it("least_connections maps to ALB's least_outstanding_requests; stickiness as the seed", () => {
    expect(edge.targetGroup.algorithm).toBe(
      ALB_ALGORITHM_FOR_SEED[seed.algorithm as keyof typeof ALB_ALGORITHM_FOR_SEED],
    );
    expect(edge.targetGroup.algorithm).toBe("least_outstanding_requests");
    expect(edge.targetGroup.stickiness).toBe(seed.stickySession);
  });

  it("three equal backends on 8080: three gateway replicas on the seed's port", () => {
    expect(gateway.replicas).toBe(seed.backends.length);
    expect(new Set(seed.backends.map((b) => b.weight)).size).toBe(1); // equal weights: ALB targets have none
    expect(gateway.port).toBe(seed.port);
  });

  it("the region-failover target is seed 16.3's RTO", () => {
    expect(SEED_REGION_FAILOVER_RTO_SECONDS).toBe(
      seedSeconds(seedYaml("16.3").recovery_procedures.region_failover.rto),
    );
  });
});

describe("edge defaults the seed does not give", () => {
  it("TLS 1.3 (with 1.2) listener policy, open to every client, a region that is not stood down, 30 s checks accepted", () => {
    const { edge } = parsedPrimary(minimalPrimary());
    expect(edge.loadBalancer.tlsPolicy).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    expect(edge.loadBalancer.ingressCidrs).toEqual(["0.0.0.0/0"]);
    expect(edge.dns.standDown).toBe(false);
    expect(edge.targetGroup.healthCheck.matcher).toBe("200");
    expect(edge.accessLogs).toEqual({ enabled: true, prefix: "edge/alb", retentionDays: 90 });
    expect(edge.dns.healthCheck.requestIntervalSeconds).toBe(10);
    const slow = primaryWith("edge.dns", { healthCheck: { requestIntervalSeconds: 30 } });
    expect(parsedPrimary(slow).edge.dns.healthCheck.requestIntervalSeconds).toBe(30);
  });
});

describe("edge config refused with its key", () => {
  const hcKey = "vega-ha:edge.targetGroup.healthCheck";

  it("an interval that does not exceed the timeout", () => {
    const raw = primaryWith("edge.targetGroup", {
      healthCheck: { intervalSeconds: 5, timeoutSeconds: 5 },
    });
    expect(refusedKeys(raw)).toEqual([`${hcKey}.intervalSeconds`]);
    expect(problemsOf(raw)[0]!.message).toMatch(/more than timeoutSeconds \(5\)/);
  });

  it.each([
    ["intervalSeconds", ALB_HEALTH_CHECK_LIMITS.intervalSeconds.min - 1],
    ["timeoutSeconds", ALB_HEALTH_CHECK_LIMITS.timeoutSeconds.max + 1],
    ["healthyThreshold", ALB_HEALTH_CHECK_LIMITS.threshold.min - 1],
    ["unhealthyThreshold", ALB_HEALTH_CHECK_LIMITS.threshold.max + 1],
  ])("%s = %d, outside what ALB accepts", (key, value) => {
    const raw = primaryWith("edge.targetGroup", { healthCheck: { [key]: value } });
    expect(refusedKeys(raw)).toContain(`${hcKey}.${key}`);
  });

  it("a Route 53 interval other than 10 or 30", () => {
    const raw = primaryWith("edge.dns", { healthCheck: { requestIntervalSeconds: 20 } });
    expect(problemsOf(raw)).toEqual([
      {
        key: "vega-ha:edge.dns.healthCheck.requestIntervalSeconds",
        message: expect.stringMatching(/10 or 30.*got 20/),
      },
    ]);
  });

  it("a TLS policy older than the TLS 1.3 family", () => {
    const raw = primaryWith("edge.loadBalancer", { tlsPolicy: "ELBSecurityPolicy-2016-08" });
    expect(refusedKeys(raw)).toEqual(["vega-ha:edge.loadBalancer.tlsPolicy"]);
  });

  it("only whole ELB TLS 1.3 policy names (1-2 or 1-3 family)", () => {
    const refused = (tlsPolicy: string) =>
      refusedKeys(primaryWith("edge.loadBalancer", { tlsPolicy }));
    for (const ok of [
      "ELBSecurityPolicy-TLS13-1-2-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
      "ELBSecurityPolicy-TLS13-1-3-2021-06",
    ])
      expect(refused(ok), ok).toEqual([]);
    for (const bad of [
      "ELBSecurityPolicy-TLS13-1-0-2021-06",
      "ELBSecurityPolicy-TLS13-1-1-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-",
      "Custom-ELBSecurityPolicy-TLS13-1-2-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-2021-06 (old)",
    ])
      expect(refused(bad), bad).toEqual(["vega-ha:edge.loadBalancer.tlsPolicy"]);
  });

  it("a missing certificate and target security group", () => {
    const raw = primaryWith("edge", {});
    expect(refusedKeys(raw).sort()).toEqual([
      "vega-ha:edge.certificateArn",
      "vega-ha:edge.targetSecurityGroupId",
    ]);
  });

  it("an unknown key", () => {
    expect(refusedKeys(primaryWith("edge.targetGroup", { stickyness: true }))).toEqual([
      "vega-ha:edge.targetGroup.stickyness",
    ]);
  });

  it("an access-log prefix with a slash at either end", () => {
    for (const prefix of ["/edge/alb", "edge/alb/"])
      expect(refusedKeys(primaryWith("edge.accessLogs", { prefix })), prefix).toEqual([
        "vega-ha:edge.accessLogs.prefix",
      ]);
    expect(refusedKeys(primaryWith("edge.accessLogs", { prefix: "logs/alb_1" }))).toEqual([]);
  });

  it("an access-log prefix with AWSLogs in it (ELB adds that part itself)", () => {
    expect(refusedKeys(primaryWith("edge.accessLogs", { prefix: "logs/AWSLogs" }))).toEqual([
      "vega-ha:edge.accessLogs.prefix",
    ]);
  });

  describe("ingressCidrs beyond the ALB security group's rule quota", () => {
    const key = "vega-ha:edge.loadBalancer.ingressCidrs";
    const blocks = (n: number, v6 = false) =>
      Array.from({ length: n }, (_, i) =>
        v6 ? `2001:db8:${i.toString(16)}::/48` : `10.${i}.0.0/16`,
      );
    const withCidrs = (cidrs: string[]) =>
      primaryWith("edge.loadBalancer", { ingressCidrs: cidrs });
    // Per block one rule per client port; a narrowed list adds the health checkers' prefix list.
    const narrowedMax = Math.floor(
      (SECURITY_GROUP_RULES_QUOTA - ROUTE53_HEALTH_CHECKERS_PREFIX_LIST_WEIGHT) /
        CLIENT_PORTS.length,
    );
    const openMax = Math.floor(SECURITY_GROUP_RULES_QUOTA / CLIENT_PORTS.length);

    it("narrowed: the last block that fits is accepted, one more is refused naming the key and the prefix list", () => {
      expect(refusedKeys(withCidrs(blocks(narrowedMax)))).toEqual([]);
      const problems = problemsOf(withCidrs(blocks(narrowedMax + 1)));
      expect(problems.map((p) => p.key)).toEqual([key]);
      expect(problems[0]!.message).toMatch(/health checkers' prefix list/);
    });

    it("IPv6 blocks count against their own family's quota, the prefix list against both", () => {
      expect(refusedKeys(withCidrs(blocks(narrowedMax, true)))).toEqual([]);
      expect(refusedKeys(withCidrs(blocks(narrowedMax + 1, true)))).toEqual([key]);
    });

    it("with 0.0.0.0/0 no prefix list is added, so more blocks fit", () => {
      const open = ["0.0.0.0/0", ...blocks(openMax - 1)];
      expect(refusedKeys(withCidrs(open))).toEqual([]);
      const over = [...open, "192.0.2.0/24"];
      expect(problemsOf(withCidrs(over))).toEqual([
        {
          key,
          message: `expected at most ${SECURITY_GROUP_RULES_QUOTA} inbound ipv4 rules on the ALB's security group (the default quota), these blocks make ${over.length * CLIENT_PORTS.length}: ${CLIENT_PORTS.length} per block; merge blocks or use a prefix list of your own, got ${JSON.stringify(over).slice(0, 77)}...`,
        },
      ]);
    });
  });
});

describe("which client blocks already admit Route 53's health checkers", () => {
  it("an IPv4 /0 does (whatever its address bits); a narrower block or IPv6's ::/0 does not", () => {
    expect(clientCidrsAdmitHealthCheckers(["10.0.0.0/8", "0.0.0.0/0"])).toBe(true);
    expect(clientCidrsAdmitHealthCheckers(["10.0.0.0/0"])).toBe(true);
    for (const narrow of [["0.0.0.0/1"], ["::/0"], ["10.0.0.0/8", "::/0"]])
      expect(clientCidrsAdmitHealthCheckers(narrow), narrow.join()).toBe(false);
  });

  it("counts the prefix list's 25 rules only when the blocks are narrowed", () => {
    expect(albInboundRuleCounts(["0.0.0.0/0", "::/0"])).toEqual({ ipv4: 2, ipv6: 2 });
    // The prefix list's weight (its max entries) counts against each family's quota.
    expect(albInboundRuleCounts(["10.0.0.0/8"])).toEqual({ ipv4: 2 + 25, ipv6: 25 });
  });
});
