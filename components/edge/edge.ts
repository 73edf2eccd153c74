import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { EdgeConfig, NetworkInputs } from "../../config";
import { childName, replacementName } from "../core";
import { LoadBalancerLogBucket, type LoadBalancerLogBucketArgs } from "./access-logs";
import {
  TARGET_GROUP_BINDING_API_VERSION,
  TARGET_GROUP_BINDING_KIND,
  TARGET_GROUP_BINDING_REPLACEMENT,
  targetGroupBindingSpec,
} from "./binding";
import { clientIngressRules, healthCheckerIngressRule } from "./security";

/** The Kubernetes Service whose pods the target group sends traffic to. */
export interface EdgeTarget {
  serviceName: pulumi.Input<string>;
  namespace: pulumi.Input<string>;
  /** Port the pods listen on (seed 17.2 backends: 8080). */
  port: number;
  /** Name of the TargetGroupBinding (the pods' readiness gate names it too). */
  bindingName: string;
}

export interface EdgeArgs {
  /** AWS region of every child. Required. */
  region: string;
  /** VPC and public subnets of the load balancer. Required. */
  network: pulumi.Input<NetworkInputs>;
  /** The validated `vega-ha:edge` section. Required. */
  config: EdgeConfig;
  /** The gateway Service behind the load balancer. Required. */
  target: EdgeTarget;
  /**
   * The access-log bucket the edge creates (its lifecycle and protection; prefix and retention
   * come from `config.accessLogs`). Required when config.accessLogs.enabled.
   */
  accessLogBucket?: AccessLogBucketSettings;
  /** ALB deletion protection. Required (config `protect`, default true). */
  deletionProtection: boolean;
}

/** The access-log bucket's settings that do not come from `vega-ha:edge.accessLogs`. */
export type AccessLogBucketSettings = Pick<
  LoadBalancerLogBucketArgs,
  "noncurrentVersionDays" | "incompleteUploadDays" | "protect"
> & {
  /** Earlier identities of the bucket component (stacks created before it moved). Default none. */
  aliases?: pulumi.Input<pulumi.Alias>[];
};

/** Throws at once on arguments that cannot work together. */
export function validateEdgeArgs(args: EdgeArgs): void {
  if (args.config.accessLogs.enabled && args.accessLogBucket === undefined) {
    throw new Error(
      "Edge: accessLogs.enabled needs accessLogBucket (the access-log bucket's lifecycle and protection)",
    );
  }
}

/** ALB and target group names: at most 32 characters (ELB CreateLoadBalancer/CreateTargetGroup). */
const ELB_NAME_MAX = 32;

/**
 * The ALB's name. Name, scheme (`internal`) and type cannot change in place (CloudFormation
 * AWS::ElasticLoadBalancingV2::LoadBalancer: "Update requires: Replacement"): they are hashed
 * into the name, so a replacement is created under a new name before the old ALB goes.
 */
export const loadBalancerName = (
  name: string,
  immutable: { region: string; internal: boolean; loadBalancerType: string },
) => replacementName(name, immutable, ELB_NAME_MAX);

/**
 * The target group's name, the port kept readable. Port, protocol, protocol version, target type,
 * IP address type and VPC cannot change in place (AWS::ElasticLoadBalancingV2::TargetGroup):
 * they are hashed into the name, so a replacement never collides with the group it replaces.
 */
export const targetGroupName = (
  name: string,
  immutable: {
    region: string;
    vpcId: string;
    port: number;
    protocol: string;
    protocolVersion: string;
    targetType: string;
    ipAddressType: string;
  },
) => replacementName(`${name}-${immutable.port}`, immutable, ELB_NAME_MAX);

/**
 * The region's entry point (seed 17.1 DNS/LB, 17.2): an internet-facing ALB in the public
 * subnets, an IP target group per seed 17.2, an HTTPS listener and an HTTP->HTTPS redirect,
 * security groups that open only the gateway port towards the pods, and the TargetGroupBinding
 * through which the AWS Load Balancer Controller registers the gateway pods.
 */
export class Edge extends pulumi.ComponentResource {
  public readonly loadBalancer: aws.lb.LoadBalancer;
  public readonly targetGroup: aws.lb.TargetGroup;
  public readonly securityGroup: aws.ec2.SecurityGroup;
  public readonly dnsName: pulumi.Output<string>;
  /** Route 53 hosted zone of the ALB's DNS name (for alias records). */
  public readonly zoneId: pulumi.Output<string>;
  /** CloudWatch dimensions (`LoadBalancer`, `TargetGroup`) for alarms. */
  public readonly loadBalancerArnSuffix: pulumi.Output<string>;
  public readonly targetGroupArnSuffix: pulumi.Output<string>;
  /** The access-log bucket, when access logs are on. */
  public readonly accessLogs?: LoadBalancerLogBucket;

  constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    validateEdgeArgs(args);
    super("vega:edge:Edge", name, {}, opts);
    const { config, region, target } = args;
    const child = { parent: this };
    const network = pulumi.output(args.network);
    const tg = config.targetGroup;

    this.securityGroup = new aws.ec2.SecurityGroup(
      childName(name, "alb-sg"),
      {
        region,
        vpcId: network.vpcId,
        description: `${name} ALB: clients on 443/80, out to the gateway port only`,
        revokeRulesOnDelete: true,
      },
      child,
    );
    const albSg = this.securityGroup.id;
    for (const rule of clientIngressRules(config.loadBalancer.ingressCidrs)) {
      new aws.vpc.SecurityGroupIngressRule(
        childName(name, `alb-in-${rule.key}`),
        {
          region,
          securityGroupId: albSg,
          description: rule.description,
          ipProtocol: "tcp",
          fromPort: rule.port,
          toPort: rule.port,
          cidrIpv4: rule.cidrIpv4,
          cidrIpv6: rule.cidrIpv6,
        },
        child,
      );
    }
    const checkers = healthCheckerIngressRule(config.loadBalancer.ingressCidrs, region);
    if (checkers) {
      // AWS-managed prefix list ids differ per region: resolve it by name in the ALB's region.
      const prefixList = aws.ec2.getManagedPrefixListOutput(
        { name: checkers.prefixListName, region },
        { parent: this },
      );
      new aws.vpc.SecurityGroupIngressRule(
        childName(name, `alb-in-${checkers.key}`),
        {
          region,
          securityGroupId: albSg,
          description: checkers.description,
          ipProtocol: "tcp",
          fromPort: checkers.port,
          toPort: checkers.port,
          prefixListId: prefixList.id,
        },
        child,
      );
    }
    new aws.vpc.SecurityGroupEgressRule(
      childName(name, "alb-out-gateway"),
      {
        region,
        securityGroupId: albSg,
        description: `ALB to the gateway pods on ${target.port}`,
        ipProtocol: "tcp",
        fromPort: target.port,
        toPort: target.port,
        referencedSecurityGroupId: config.targetSecurityGroupId,
      },
      child,
    );
    new aws.vpc.SecurityGroupIngressRule(
      childName(name, "gateway-in-alb"),
      {
        region,
        securityGroupId: config.targetSecurityGroupId,
        description: `${name} ALB to the gateway pods on ${target.port}`,
        ipProtocol: "tcp",
        fromPort: target.port,
        toPort: target.port,
        referencedSecurityGroupId: albSg,
      },
      child,
    );

    // The edge owns its access-log bucket. AWS checks that it may write there when logging is
    // switched on, so the ALB waits for the bucket policy ("InvalidConfigurationRequest: Access
    // Denied for bucket ... Please check S3bucket permission" otherwise: terraform-provider-aws
    // #12010; aws/copilot-cli#4169 fixed it the same way).
    const logs = config.accessLogs.enabled
      ? new LoadBalancerLogBucket(
          childName(name, "access-logs"),
          {
            region,
            prefix: config.accessLogs.prefix,
            retentionDays: config.accessLogs.retentionDays,
            noncurrentVersionDays: args.accessLogBucket!.noncurrentVersionDays,
            incompleteUploadDays: args.accessLogBucket!.incompleteUploadDays,
            protect: args.accessLogBucket!.protect,
          },
          { ...child, aliases: args.accessLogBucket!.aliases },
        )
      : undefined;
    this.accessLogs = logs;

    const lbImmutable = { region, internal: false, loadBalancerType: "application" } as const;
    this.loadBalancer = new aws.lb.LoadBalancer(
      childName(name, "alb"),
      {
        ...lbImmutable,
        name: loadBalancerName(name, lbImmutable),
        ipAddressType: "ipv4",
        subnets: network.publicSubnetIds,
        securityGroups: [albSg],
        enableDeletionProtection: args.deletionProtection,
        dropInvalidHeaderFields: true,
        enableHttp2: true,
        idleTimeout: config.loadBalancer.idleTimeoutSeconds,
        accessLogs: logs
          ? { enabled: true, bucket: logs.bucketName, prefix: config.accessLogs.prefix }
          : undefined,
      },
      { ...child, dependsOn: logs ? [logs.policy] : [] },
    );

    const tgImmutable = {
      region,
      port: target.port,
      protocol: "HTTP",
      protocolVersion: "HTTP1",
      targetType: "ip",
      ipAddressType: "ipv4",
    } as const;
    this.targetGroup = new aws.lb.TargetGroup(
      childName(name, "targets"),
      {
        ...tgImmutable,
        name: network.vpcId.apply((vpcId) => targetGroupName(name, { ...tgImmutable, vpcId })),
        vpcId: network.vpcId,
        loadBalancingAlgorithmType: tg.algorithm,
        deregistrationDelay: tg.deregistrationDelaySeconds,
        healthCheck: {
          enabled: true,
          protocol: "HTTP",
          port: "traffic-port",
          path: tg.healthCheck.path,
          interval: tg.healthCheck.intervalSeconds,
          timeout: tg.healthCheck.timeoutSeconds,
          healthyThreshold: tg.healthCheck.healthyThreshold,
          unhealthyThreshold: tg.healthCheck.unhealthyThreshold,
          matcher: tg.healthCheck.matcher,
        },
        // The type is required even when stickiness is off.
        stickiness: { type: "lb_cookie", enabled: tg.stickiness },
      },
      child,
    );

    new aws.lb.Listener(
      childName(name, "https"),
      {
        region,
        loadBalancerArn: this.loadBalancer.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: config.loadBalancer.tlsPolicy,
        certificateArn: config.certificateArn,
        defaultActions: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
      },
      child,
    );
    new aws.lb.Listener(
      childName(name, "http-redirect"),
      {
        region,
        loadBalancerArn: this.loadBalancer.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [
          {
            type: "redirect",
            redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
          },
        ],
      },
      child,
    );

    new k8s.apiextensions.CustomResource(
      childName(name, "binding"),
      {
        apiVersion: TARGET_GROUP_BINDING_API_VERSION,
        kind: TARGET_GROUP_BINDING_KIND,
        metadata: { name: target.bindingName, namespace: target.namespace },
        spec: pulumi
          .all([this.targetGroup.arn, target.serviceName])
          .apply(([targetGroupArn, serviceName]) =>
            targetGroupBindingSpec({ targetGroupArn, serviceName, servicePort: target.port }),
          ),
      },
      { ...child, ...TARGET_GROUP_BINDING_REPLACEMENT },
    );

    this.dnsName = this.loadBalancer.dnsName;
    this.zoneId = this.loadBalancer.zoneId;
    this.loadBalancerArnSuffix = this.loadBalancer.arnSuffix;
    this.targetGroupArnSuffix = this.targetGroup.arnSuffix;
    this.registerOutputs({
      dnsName: this.dnsName,
      zoneId: this.zoneId,
      loadBalancerArnSuffix: this.loadBalancerArnSuffix,
      targetGroupArnSuffix: this.targetGroupArnSuffix,
    });
  }
}
