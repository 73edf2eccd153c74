/**
 * The failure-detection budget: how long a failure goes unnoticed before traffic moves, from the
 * settings that are actually deployed.
 */
import {
  ALB_ALIAS_TTL_SECONDS,
  SEED_LOAD_BALANCER,
  SEED_REGION_FAILOVER_RTO_SECONDS,
} from "../../config";

export interface TargetHealthSettings {
  intervalSeconds: number;
  timeoutSeconds: number;
  unhealthyThreshold: number;
}

export interface DnsHealthSettings {
  requestIntervalSeconds: number;
  failureThreshold: number;
  /** TTL resolvers cache the answer for (an ALB alias: fixed at 60 s). */
  ttlSeconds: number;
}

/** Seconds until the ALB stops sending to a dead gateway: unhealthy threshold × interval + timeout. */
export function loadBalancerDropSeconds(c: TargetHealthSettings): number {
  return c.unhealthyThreshold * c.intervalSeconds + c.timeoutSeconds;
}

/** Seconds until clients reach the other region: failure threshold × request interval + TTL. */
export function dnsFailoverSeconds(c: DnsHealthSettings): number {
  return c.failureThreshold * c.requestIntervalSeconds + c.ttlSeconds;
}

export interface BudgetLine {
  what: string;
  formula: string;
  seconds: number;
  targetSeconds: number;
  target: string;
  withinTarget: boolean;
}

/**
 * Both budgets next to the seed's targets: the drop time the seed's own 17.2 health check gives,
 * and the region-failover RTO of seed 16.3.
 */
export function failureDetectionBudget(
  lb: TargetHealthSettings,
  dns: Omit<DnsHealthSettings, "ttlSeconds"> & { ttlSeconds?: number },
): BudgetLine[] {
  const seedDrop = loadBalancerDropSeconds(SEED_LOAD_BALANCER.healthCheck);
  const ttlSeconds = dns.ttlSeconds ?? ALB_ALIAS_TTL_SECONDS;
  const drop = loadBalancerDropSeconds(lb);
  const failover = dnsFailoverSeconds({ ...dns, ttlSeconds });
  return [
    {
      what: "ALB drops a dead gateway",
      formula: `unhealthy threshold ${lb.unhealthyThreshold} × interval ${lb.intervalSeconds} s + timeout ${lb.timeoutSeconds} s`,
      seconds: drop,
      targetSeconds: seedDrop,
      target: `seed 17.2 health check (${SEED_LOAD_BALANCER.healthCheck.unhealthyThreshold} × ${SEED_LOAD_BALANCER.healthCheck.intervalSeconds} s + ${SEED_LOAD_BALANCER.healthCheck.timeoutSeconds} s)`,
      withinTarget: drop <= seedDrop,
    },
    {
      what: "Route 53 fails the region over",
      formula: `failure threshold ${dns.failureThreshold} × request interval ${dns.requestIntervalSeconds} s + alias TTL ${ttlSeconds} s`,
      seconds: failover,
      targetSeconds: SEED_REGION_FAILOVER_RTO_SECONDS,
      target: "seed 16.3 region_failover RTO",
      withinTarget: failover <= SEED_REGION_FAILOVER_RTO_SECONDS,
    },
  ];
}
