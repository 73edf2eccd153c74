import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_CHECK_PORT, type DnsInputs, type EdgeConfig } from "../../config";
import { childName, regionCode } from "../core";
import { healthCheckSwitches } from "./routing";

export type FailoverRole = "PRIMARY" | "SECONDARY";

/** PRIMARY in the primary stack, SECONDARY in the DR stack. */
export function failoverRole(role: "primary" | "dr"): FailoverRole {
  return role === "primary" ? "PRIMARY" : "SECONDARY";
}

/** Set identifier of a region's record: its role and region, e.g. primary-use1. */
export function failoverSetIdentifier(failover: FailoverRole, region: string): string {
  return `${failover.toLowerCase()}-${regionCode(region)}`;
}

/**
 * Where the DR stack's own DNS config disagrees with the primary's record, or undefined. A
 * failover pair is two records of the same name in the same zone, so the SECONDARY record
 * follows the primary's; a disagreement is a config mistake worth a warning.
 */
export function failoverPairProblem(
  primary: { recordName: string; zoneId: string },
  own: DnsInputs,
): string | undefined {
  const problems: string[] = [];
  if (primary.recordName !== own.domain)
    problems.push(
      `vega-ha:platform.dns.domain is ${own.domain} but the primary's record is ${primary.recordName}`,
    );
  if (primary.zoneId !== own.zoneId)
    problems.push(
      `vega-ha:platform.dns.zoneId is ${own.zoneId} but the primary's record is in ${primary.zoneId}`,
    );
  return problems.length === 0
    ? undefined
    : `${problems.join("; ")}: the SECONDARY record follows the primary's record, fix the DR stack's config`;
}

/**
 * Name and zone of this region's failover record. A DR record pairs with the primary's by
 * construction: same name and zone, read from the primary's contract; a DR config that says
 * otherwise is reported (a warning on `reporter`), not obeyed.
 */
export function failoverZone(
  own: pulumi.Output<DnsInputs>,
  primary: pulumi.Output<{ recordName: string; zoneId: string }> | undefined,
  reporter?: pulumi.Resource,
): pulumi.Output<DnsInputs> {
  if (!primary) return own;
  return pulumi.all([primary, own]).apply(([p, dns]) => {
    const problem = failoverPairProblem(p, dns);
    if (problem) void pulumi.log.warn(problem, reporter);
    return { zoneId: p.zoneId, domain: p.recordName };
  });
}

export interface DnsFailoverArgs {
  /** PRIMARY (primary stack) or SECONDARY (DR stack). Required. */
  failover: FailoverRole;
  /** Region of this stack (names the set identifier). Required. */
  region: string;
  /** Hosted zone and record name; both stacks use the same. Required. */
  zoneId: pulumi.Input<string>;
  recordName: pulumi.Input<string>;
  /** The region's ALB, the alias target. Required. */
  loadBalancer: { dnsName: pulumi.Input<string>; zoneId: pulumi.Input<string> };
  /** Path Route 53 requests over HTTPS (the gateways' health endpoint). Required. */
  healthPath: string;
  /** Interval, failure threshold and stand-down switch (`healthCheckSwitches`). Required. */
  settings: EdgeConfig["dns"];
}

/**
 * One half of the Route 53 failover pair (seed 17.1 DNS, 16.3 region_failover): an HTTPS health
 * check on this region's `/health` through its ALB, and the failover alias record to that ALB
 * with target-health evaluation, so either a failed check or an ALB with no healthy gateway
 * moves the name to the other region.
 */
export class DnsFailover extends pulumi.ComponentResource {
  public readonly healthCheck: aws.route53.HealthCheck;
  public readonly record: aws.route53.Record;
  public readonly setIdentifier: string;

  constructor(name: string, args: DnsFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vega:edge:DnsFailover", name, {}, opts);
    const child = { parent: this };
    const { settings } = args;
    this.setIdentifier = failoverSetIdentifier(args.failover, args.region);

    // Route 53 checks the ALB by name (its addresses change) and does not validate the
    // certificate, so the ALB's own DNS name is a sound target for an HTTPS check. The stand-down
    // lever is `disabled` + `invertHealthcheck` (routing.ts: unhealthy whatever the endpoint
    // does); both are updated in place through Route 53's control plane (us-east-1).
    const { disabled, invertHealthcheck } = healthCheckSwitches(settings);
    this.healthCheck = new aws.route53.HealthCheck(
      childName(name, "health"),
      {
        type: "HTTPS",
        fqdn: args.loadBalancer.dnsName,
        port: HEALTH_CHECK_PORT,
        resourcePath: args.healthPath,
        enableSni: true,
        requestInterval: settings.healthCheck.requestIntervalSeconds,
        failureThreshold: settings.healthCheck.failureThreshold,
        disabled,
        invertHealthcheck,
        measureLatency: false,
        tags: { Name: `${name} ${args.failover}` },
      },
      child,
    );

    this.record = new aws.route53.Record(
      childName(name, "record"),
      {
        zoneId: args.zoneId,
        name: args.recordName,
        type: "A",
        setIdentifier: this.setIdentifier,
        failoverRoutingPolicies: [{ type: args.failover }],
        healthCheckId: this.healthCheck.id,
        aliases: [
          {
            name: args.loadBalancer.dnsName,
            zoneId: args.loadBalancer.zoneId,
            evaluateTargetHealth: true,
          },
        ],
      },
      child,
    );

    this.registerOutputs({ setIdentifier: this.setIdentifier, healthCheckId: this.healthCheck.id });
  }
}
