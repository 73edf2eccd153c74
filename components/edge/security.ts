/**
 * Who talks to the load balancer and where it may talk to: clients on 443 (and 80, which only
 * redirects), and from the ALB nothing but the gateway port on the pods' security group.
 */

/** Ports clients reach the ALB on: HTTPS, and HTTP for the redirect. */
export const CLIENT_PORTS = [
  { port: 443, role: "https" },
  { port: 80, role: "http-redirect" },
] as const;

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
