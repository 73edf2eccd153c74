/**
 * Who talks to the load balancer and where it may talk to: clients on 443 (and 80, which only
 * redirects), Route 53's health checkers on 443 when the client blocks are narrowed, and from the
 * ALB nothing but the gateway port on the pods' security group.
 */
import { CLIENT_PORTS, clientCidrsAdmitHealthCheckers, HEALTH_CHECK_PORT } from "../../config";

export { CLIENT_PORTS } from "../../config";

export interface ClientIngressRule {
  /** Suffix of the rule's resource name. */
  key: string;
  description: string;
  port: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
}

const isIpv6 = (cidr: string) => cidr.includes(":");

/** One rule per client port and CIDR block (a rule takes a single IPv4 or IPv6 block). */
export function clientIngressRules(cidrs: readonly string[]): ClientIngressRule[] {
  return CLIENT_PORTS.flatMap(({ port, role }) =>
    cidrs.map((cidr, i) => ({
      key: `${role}-${i}`,
      description: `clients to the ALB on ${port} (${role})`,
      port,
      ...(isIpv6(cidr) ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
    })),
  );
}

/**
 * Name of the AWS-managed prefix list of Route 53's health checkers (IPv4) for a resource in
 * `region`. Route 53's guide ("Configuring router and firewall rules for Route 53 health
 * checks"): allow `com.amazonaws.<region>.route53-healthchecks`, <region> being the resource's
 * own region; the `.ipv6.` list only matters for IPv6 endpoints, and the check reaches the ALB
 * over IPv4. Available in every region since September 2023 (AWS What's New, 2023-09-08).
 */
export const route53HealthCheckersPrefixList = (region: string) =>
  `com.amazonaws.${region}.route53-healthchecks`;

/** The rule that lets Route 53's health checkers reach the ALB, by prefix-list name. */
export interface HealthCheckerIngressRule {
  /** Suffix of the rule's resource name. */
  key: string;
  description: string;
  port: number;
  /** The AWS-managed prefix list to resolve (by name, in the ALB's region) and reference. */
  prefixListName: string;
}

/**
 * The health checkers' rule, or undefined when the client blocks already admit them (0.0.0.0/0).
 * Without it a narrowed `edge.loadBalancer.ingressCidrs` blocks every probe, Route 53 counts the
 * region down however healthy it is, and failover decisions are made on nothing. The reference
 * counts 25 rules against the group's quota, checked with the config (`albInboundRuleCounts`).
 */
export function healthCheckerIngressRule(
  cidrs: readonly string[],
  region: string,
): HealthCheckerIngressRule | undefined {
  if (clientCidrsAdmitHealthCheckers(cidrs)) return undefined;
  return {
    key: "route53-health-checkers",
    description: `Route 53 health checkers to the ALB on ${HEALTH_CHECK_PORT} (DNS failover)`,
    port: HEALTH_CHECK_PORT,
    prefixListName: route53HealthCheckersPrefixList(region),
  };
}
