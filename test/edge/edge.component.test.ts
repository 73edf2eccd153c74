import { beforeAll, describe, expect, it } from "vitest";
import {
  CLIENT_PORTS,
  DnsFailover,
  Edge,
  healthCheckSwitches,
  TARGET_GROUP_BINDING_TYPE,
  validateEdgeArgs,
  type EdgeArgs,
} from "../../components/edge";
import { synth, type Synth } from "../harness";
import { parsedPrimary, primaryWith } from "../harness/config";
import { edgeArgsFor } from "./fixtures";

const config = parsedPrimary(
  primaryWith("edge.loadBalancer", { ingressCidrs: ["0.0.0.0/0", "::/0"] }),
);
const network = config.platform.network!;
const region = "eu-west-1";
const args: EdgeArgs = edgeArgsFor(config, region);

let s: Synth;
let outputs: { dnsName: string; zoneId: string };
beforeAll(async () => {
  s = await synth(async () => {
    const edge = new Edge("test-edge", args);
    new DnsFailover("test-dns", {
      failover: "SECONDARY",
      region,
      zoneId: "Z0TESTZONE",
      recordName: "vega.example.com",
      loadBalancer: { dnsName: edge.dnsName, zoneId: edge.zoneId },
      healthPath: config.edge.targetGroup.healthCheck.path,
      settings: config.edge.dns,
    });
    return { dnsName: edge.dnsName, zoneId: edge.zoneId };
  });
  outputs = s.outputs as typeof outputs;
});

describe("Edge", () => {
  it("parents every child to the component and puts every AWS child in the given region", () => {
    const component = s.one("vega:edge:Edge", "test-edge");
    const children = s.childrenOf(component);
    expect(children.length).toBeGreaterThan(8);
    for (const c of children.filter((r) => r.type.startsWith("aws:")))
      expect([c.name, c.region]).toEqual([c.name, region]);
  });

  it("lets clients in on 443 and 80 only, from each configured block", () => {
    const albSg = s.one("aws:ec2/securityGroup:SecurityGroup", "alb-sg");
    const ingress = s
      .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .filter((r) => r.inputs.securityGroupId === `${albSg.name}-id`);
    const seen = ingress
      .map(
        (r) => `${r.inputs.fromPort}-${r.inputs.toPort} ${r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6}`,
      )
      .sort();
    const expected = CLIENT_PORTS.flatMap(({ port }) =>
      config.edge.loadBalancer.ingressCidrs.map((c) => `${port}-${port} ${c}`),
    ).sort();
    expect(seen).toEqual(expected);
  });

  it("lets the ALB out to the gateway port on the pods' security group, and nothing else", () => {
    const albSgId = `${s.one("aws:ec2/securityGroup:SecurityGroup", "alb-sg").name}-id`;
    const egress = s.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
    expect(egress.map((r) => r.inputs)).toEqual([
      expect.objectContaining({
        securityGroupId: albSgId,
        ipProtocol: "tcp",
        fromPort: args.target.port,
        toPort: args.target.port,
        referencedSecurityGroupId: config.edge.targetSecurityGroupId,
      }),
    ]);
    const podSide = s.one(
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "gateway-in-alb",
    ).inputs;
    expect(podSide).toMatchObject({
      securityGroupId: config.edge.targetSecurityGroupId,
      referencedSecurityGroupId: albSgId,
      fromPort: args.target.port,
      toPort: args.target.port,
    });
  });

  it("puts the ALB in the public subnets, hardened, logging to the given bucket", () => {
    const lb = s.one("aws:lb/loadBalancer:LoadBalancer").inputs;
    expect(lb).toMatchObject({
      loadBalancerType: "application",
      internal: false,
      subnets: network.publicSubnetIds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: true,
      accessLogs: {
        enabled: true,
        bucket: args.accessLogBucket,
        prefix: config.edge.accessLogs.prefix,
      },
    });
    expect(String(lb.name).length).toBeLessThanOrEqual(32);
  });

  it("terminates TLS with the configured policy and certificate, and redirects HTTP", () => {
    const https = s.one("aws:lb/listener:Listener", "-https").inputs;
    expect(https).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      sslPolicy: config.edge.loadBalancer.tlsPolicy,
      certificateArn: config.edge.certificateArn,
    });
    expect((https.defaultActions as any[])[0].type).toBe("forward");
    const http = s.one("aws:lb/listener:Listener", "-http-redirect").inputs;
    expect(http.defaultActions).toEqual([
      { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
    ]);
  });

  it("names the target group with its port, so a port change replaces it create-first", () => {
    const tg = s.one("aws:lb/targetGroup:TargetGroup").inputs;
    expect(tg.name).toMatch(new RegExp(`-${args.target.port}$`));
    expect(tg).toMatchObject({
      targetType: "ip",
      port: args.target.port,
      vpcId: network.vpcId,
      protocol: "HTTP",
    });
  });

  it("binds the gateway Service's pods to the target group", () => {
    const binding = s.one(TARGET_GROUP_BINDING_TYPE).inputs as any;
    const tgArn = `arn:aws:elasticloadbalancing:${region}:123456789012:targetgroup/${s.one("aws:lb/targetGroup:TargetGroup").inputs.name}/`;
    expect(binding.metadata).toEqual({
      name: args.target.bindingName,
      namespace: args.target.namespace,
    });
    expect(binding.spec.serviceRef).toEqual({
      name: args.target.serviceName,
      port: args.target.port,
    });
    expect(binding.spec.targetType).toBe("ip");
    expect(binding.spec.targetGroupARN.startsWith(tgArn)).toBe(true);
    expect(binding.spec.networking).toBeUndefined();
  });

  it("refuses access logs without a bucket before creating anything", () => {
    expect(() => validateEdgeArgs({ ...args, accessLogBucket: undefined })).toThrow(
      /accessLogBucket/,
    );
    expect(() =>
      validateEdgeArgs({
        ...args,
        accessLogBucket: undefined,
        config: { ...args.config, accessLogs: { ...args.config.accessLogs, enabled: false } },
      }),
    ).not.toThrow();
  });
});

describe("DnsFailover", () => {
  it("checks /health over HTTPS on the ALB's name", () => {
    const hc = s.one("aws:route53/healthCheck:HealthCheck").inputs;
    expect(hc).toMatchObject({
      type: "HTTPS",
      port: 443,
      fqdn: outputs.dnsName,
      resourcePath: config.edge.targetGroup.healthCheck.path,
      requestInterval: config.edge.dns.healthCheck.requestIntervalSeconds,
      failureThreshold: config.edge.dns.healthCheck.failureThreshold,
      ...healthCheckSwitches(config.edge.dns),
    });
  });

  it("aliases the record to the ALB with target-health evaluation, as the given role", () => {
    const record = s.one("aws:route53/record:Record").inputs;
    const hc = s.one("aws:route53/healthCheck:HealthCheck");
    expect(record).toMatchObject({
      name: "vega.example.com",
      zoneId: "Z0TESTZONE",
      type: "A",
      setIdentifier: "secondary-euw1",
      failoverRoutingPolicies: [{ type: "SECONDARY" }],
      healthCheckId: `${hc.name}-id`,
      aliases: [{ name: outputs.dnsName, zoneId: outputs.zoneId, evaluateTargetHealth: true }],
    });
    expect(record.ttl).toBeUndefined(); // an alias has the target's TTL
  });

  it("parents the health check and the record to the component", () => {
    for (const type of ["aws:route53/record:Record", "aws:route53/healthCheck:HealthCheck"]) {
      expect(s.parentOf(s.one(type))?.type).toBe("vega:edge:DnsFailover");
    }
  });
});
