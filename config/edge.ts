/**
 * Edge config: the load balancer in front of the gateways and the DNS failover record.
 * Defaults are seed 17.2 (load_balancer) as docs/architecture.md maps it onto an ALB target group.
 */
import { z } from "zod";
import { arn, bool, integer, list, matching, numberIn, oneOf, refuse, section } from "./types";

/** Seed 17.2 `load_balancer`, as written there. */
export const SEED_LOAD_BALANCER = {
  /** `algorithm: least_connections`. */
  algorithm: "least_connections",
  healthCheck: {
    path: "/health",
    intervalSeconds: 5,
    timeoutSeconds: 2,
    healthyThreshold: 2,
    unhealthyThreshold: 3,
  },
  /** `sticky_session.enabled: false` (stateless gateways). */
  stickySession: false,
  /** `backends: gateway-1..3:8080, weight 100`: three equal targets on port 8080. */
  backendPort: 8080,
  backends: 3,
} as const;

/**
 * ALB routing algorithms. ALB has no least_connections; least_outstanding_requests (fewest
 * requests in flight) is the closest, so it stands for the seed's choice.
 */
export const ALB_ALGORITHMS = [
  "least_outstanding_requests",
  "round_robin",
  "weighted_random",
] as const;
export const ALB_ALGORITHM_FOR_SEED = {
  least_connections: "least_outstanding_requests",
  round_robin: "round_robin",
} as const;

/** What an ALB target group accepts for its health check (interval must also exceed timeout). */
export const ALB_HEALTH_CHECK_LIMITS = {
  intervalSeconds: { min: 5, max: 300 },
  timeoutSeconds: { min: 2, max: 120 },
  threshold: { min: 2, max: 10 },
} as const;

/** Route 53 endpoint health checks run every 10 s (fast) or 30 s (standard), nothing else. */
export const ROUTE53_REQUEST_INTERVALS = [10, 30] as const;

/**
 * TTL Route 53 gives an alias record that points at a load balancer: fixed, not settable
 * (Route 53 FAQ: ELB alias records have a fixed TTL of 60 s).
 */
export const ALB_ALIAS_TTL_SECONDS = 60;

/** Seed 16.3 `region_failover.rto: 1h`: the whole switch to the DR region, DNS included. */
export const SEED_REGION_FAILOVER_RTO_SECONDS = 3600;

/**
 * TLS 1.3 policies of the 2021-06 family and later: TLS 1.2 at the least, forward secrecy. For a
 * clear config error only: the policy pack owns the guard (policies/edge.ts TLS13_POLICY).
 */
export const MODERN_TLS_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-[A-Za-z0-9-]+$/;

/** Ports clients reach the ALB on: HTTPS, and HTTP for the redirect. Route 53 checks HTTPS. */
export const CLIENT_PORTS = [
  { port: 443, role: "https" },
  { port: 80, role: "http-redirect" },
] as const;

/** The port Route 53's health checkers probe: the ALB's HTTPS listener. */
export const HEALTH_CHECK_PORT = CLIENT_PORTS[0].port;

/**
 * Security-group rule quota per direction and per IP family (VPC quotas, "Inbound or outbound
 * rules per security group": 60 by default, adjustable; IPv4 and IPv6 counted separately).
 */
export const SECURITY_GROUP_RULES_QUOTA = 60;

/**
 * What a reference to the AWS-managed prefix list `com.amazonaws.<region>.route53-healthchecks`
 * counts against that quota: a prefix list counts as its maximum entries, and for AWS-managed
 * lists that is the list's published weight, 25 for Route 53's health checkers (VPC user guide,
 * "AWS-managed prefix list weight"). Counted against both families, as AWS's quota page says a
 * prefix-list reference counts for IPv4 and for IPv6.
 */
export const ROUTE53_HEALTH_CHECKERS_PREFIX_LIST_WEIGHT = 25;

/** An IPv4 block of prefix length 0 (shape checked by the schema): every address, whatever its bits. */
function isIpv4AnyCidr(cidr: string): boolean {
  return !cidr.includes(":") && Number(cidr.split("/")[1]) === 0;
}

/**
 * Whether the client blocks already admit Route 53's health checkers: they probe over IPv4 (the
 * check names the ALB by DNS name and Route 53 resolves it to IPv4), so only 0.0.0.0/0 covers
 * every checker. Any narrower list needs the health checkers' prefix list as well.
 */
export function clientCidrsAdmitHealthCheckers(cidrs: readonly string[]): boolean {
  return cidrs.some(isIpv4AnyCidr);
}

/**
 * Inbound rules the ALB's security group gets from `ingressCidrs`, per IP family: one rule per
 * client port and block, plus the health checkers' prefix list when the blocks are narrowed.
 */
export function albInboundRuleCounts(cidrs: readonly string[]): { ipv4: number; ipv6: number } {
  const ipv6 = cidrs.filter((c) => c.includes(":")).length;
  const ipv4 = cidrs.length - ipv6;
  const checkers = clientCidrsAdmitHealthCheckers(cidrs)
    ? 0
    : ROUTE53_HEALTH_CHECKERS_PREFIX_LIST_WEIGHT;
  return {
    ipv4: ipv4 * CLIENT_PORTS.length + checkers,
    ipv6: ipv6 * CLIENT_PORTS.length + checkers,
  };
}

const { intervalSeconds, timeoutSeconds, threshold } = ALB_HEALTH_CHECK_LIMITS;
const seedCheck = SEED_LOAD_BALANCER.healthCheck;

const cidr = matching(
  /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-fA-F:]+\/\d{1,3}$/,
  "a CIDR block such as 0.0.0.0/0 or ::/0",
);

export const targetHealthCheckSchema = section({
  /** Path the ALB probes on each gateway pod. Default "/health" (seed 17.2). */
  path: matching(/^\/\S*$/, "a path starting with /").default(seedCheck.path),
  /** Seconds between checks. Default 5 (seed 17.2). */
  intervalSeconds: integer(intervalSeconds.min, intervalSeconds.max).default(
    seedCheck.intervalSeconds,
  ),
  /** Seconds without answer that fail a check. Default 2 (seed 17.2). */
  timeoutSeconds: integer(timeoutSeconds.min, timeoutSeconds.max).default(seedCheck.timeoutSeconds),
  /** Consecutive successes that make a target healthy. Default 2 (seed 17.2). */
  healthyThreshold: integer(threshold.min, threshold.max).default(seedCheck.healthyThreshold),
  /** Consecutive failures that take a target out. Default 3 (seed 17.2). */
  unhealthyThreshold: integer(threshold.min, threshold.max).default(seedCheck.unhealthyThreshold),
  /** HTTP codes that count as healthy. Default "200". */
  matcher: matching(/^[2-4]\d\d([-,][2-4]\d\d)*$/, "HTTP codes such as 200 or 200-299").default(
    "200",
  ),
}).superRefine((c, ctx) => {
  if (c.intervalSeconds <= c.timeoutSeconds) {
    refuse(
      ctx,
      ["intervalSeconds"],
      c.intervalSeconds,
      `expected more than timeoutSeconds (${c.timeoutSeconds}): ALB refuses an interval that does not exceed the timeout`,
    );
  }
});

export const edgeSchema = section({
  /** ACM certificate (in this stack's region) for the HTTPS listener. Required. */
  certificateArn: arn("acm"),
  /**
   * The security group on the gateway pods' network interfaces (on EKS with the VPC CNI, the
   * cluster security group of the nodes). The ALB may reach it on the gateway port only. Required.
   */
  targetSecurityGroupId: matching(
    /^sg-[0-9a-f]{8,17}$/,
    "a security group id such as sg-0a1b2c3d4e5f60718",
  ),
  loadBalancer: section({
    /** HTTPS listener policy: a TLS 1.3 ELB policy. Default ELBSecurityPolicy-TLS13-1-2-2021-06 (TLS 1.3 and 1.2). */
    tlsPolicy: matching(
      MODERN_TLS_POLICY,
      "an ELBSecurityPolicy-TLS13-1-2-… or -TLS13-1-3-… policy",
    ).default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
    /** Seconds an idle client connection is kept. Default 60 (keep the gateway's keep-alive longer). */
    idleTimeoutSeconds: integer(1, 4000).default(60),
    /**
     * Who may connect on 443 (and 80, which only redirects). Default ["0.0.0.0/0"] (public API).
     * A narrower list also admits Route 53's health checkers (their AWS-managed prefix list) on
     * 443, or DNS failover would see a healthy region as down. At most what fits the default
     * security-group rule quota (60 per IP family, the prefix list counting 25).
     */
    ingressCidrs: list(cidr, 1, "a list of at least one CIDR block")
      .default(["0.0.0.0/0"])
      .superRefine((cidrs, ctx) => {
        const counts = albInboundRuleCounts(cidrs);
        const over = (["ipv4", "ipv6"] as const).filter(
          (family) => counts[family] > SECURITY_GROUP_RULES_QUOTA,
        );
        for (const family of over) {
          refuse(
            ctx,
            [],
            cidrs,
            `expected at most ${SECURITY_GROUP_RULES_QUOTA} inbound ${family} rules on the ALB's security group (the default quota), these blocks make ${counts[family]}: ${CLIENT_PORTS.length} per block${clientCidrsAdmitHealthCheckers(cidrs) ? "" : ` + ${ROUTE53_HEALTH_CHECKERS_PREFIX_LIST_WEIGHT} for Route 53's health checkers' prefix list`}; merge blocks or use a prefix list of your own`,
          );
        }
      }),
  }),
  targetGroup: section({
    /** Routing algorithm. Default least_outstanding_requests (seed 17.2 least_connections; see ALB_ALGORITHM_FOR_SEED). */
    algorithm: oneOf(ALB_ALGORITHMS).default(ALB_ALGORITHM_FOR_SEED[SEED_LOAD_BALANCER.algorithm]),
    /**
     * Seconds a deregistered gateway keeps its in-flight requests. Default 30: longer than the
     * seed's slowest acceptable call (17.4 slow_call_duration 5 s) with room to spare, and far
     * below ALB's 300 so a rollout does not crawl. The gateway's preStop is derived from it.
     */
    deregistrationDelaySeconds: integer(0, 3600).default(30),
    /** Sticky sessions. Default false (seed 17.2: stateless design). */
    stickiness: bool().default(SEED_LOAD_BALANCER.stickySession),
    healthCheck: targetHealthCheckSchema,
  }),
  dns: section({
    healthCheck: section({
      /** Seconds between Route 53 checks: 10 or 30. Default 10 (fast checks: failover within the budget). */
      requestIntervalSeconds: numberIn(
        ROUTE53_REQUEST_INTERVALS,
        "10 or 30 (the only intervals Route 53 offers)",
      ).default(10),
      /** Consecutive failed checks before the region counts as down. Default 3 (as the ALB's unhealthy threshold). */
      failureThreshold: integer(1, 10).default(seedCheck.unhealthyThreshold),
    }),
    /**
     * Stand this region's record down: its Route 53 health check is disabled and inverted, which
     * Route 53 counts as unhealthy whatever the endpoint does (dead, failing, or answering again),
     * so the other record answers and traffic does not fail back. Seed 16.3 region_failover step 2
     * "DNS 切换至 DR 区域". A Route 53 control-plane call (us-east-1). Default false.
     */
    standDown: bool().default(false),
  }),
  accessLogs: section({
    /** ALB access logs to the region's load-balancer log bucket (created by the backup vault). Default true. */
    enabled: bool().default(true),
    /**
     * Prefix of this ALB's logs in that bucket: lower case, so never ELB's own "AWSLogs" part.
     * Default "edge/alb".
     */
    prefix: matching(
      /^[a-z0-9][a-z0-9/_-]*[a-z0-9]$/,
      "a prefix such as edge/alb (lower case, no leading or trailing slash, no AWSLogs)",
    ).default("edge/alb"),
    /** Days access logs are kept. Default 90 (a quarter for incident review; the seed gives no figure). */
    retentionDays: integer(1, 3650).default(90),
  }),
});

export type EdgeConfig = z.infer<typeof edgeSchema>;
