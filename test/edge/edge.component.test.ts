import { beforeAll, describe, expect, it } from "vitest";
import {
  CLIENT_PORTS,
  DnsFailover,
  Edge,
  healthCheckSwitches,
  TARGET_GROUP_BINDING_TYPE,
  loadBalancerName,
  targetGroupName,
  validateEdgeArgs,
  type EdgeArgs,
} from "../../components/edge";
import { token } from "../../tools/synth/computed";
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
    // One ingress rule per listener port and client block (two blocks here).
    expect(s.childRoles(component)).toEqual([
      "access-logs",
      "alb",
      "alb-in-http-redirect-0",
      "alb-in-http-redirect-1",
      "alb-in-https-0",
      "alb-in-https-1",
      "alb-out-gateway",
      "alb-sg",
      "binding",
      "gateway-in-alb",
      "http-redirect",
      "https",
      "targets",
    ]);
    for (const c of children.filter((r) => r.type.startsWith("aws:")))
      expect([c.name, c.region]).toEqual([c.name, region]);
  });

  it("runs an internet-facing IPv4 ALB with HTTP/2 in its own security group, whose rules go when it does", () => {
    const alb = s.one("aws:lb/loadBalancer:LoadBalancer").inputs as any;
    const albSg = s.one("aws:ec2/securityGroup:SecurityGroup", "alb-sg");
    expect(alb).toMatchObject({
      internal: false,
      loadBalancerType: "application",
      ipAddressType: "ipv4",
      enableHttp2: true,
      securityGroups: [`${albSg.name}-id`],
    });
    // Its rules are revoked before it is deleted, so rules referencing other groups cannot block it.
    expect(albSg.inputs.revokeRulesOnDelete).toBe(true);
    const rules = [
      ...s.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
      ...s.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
    ];
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) expect(r.inputs.ipProtocol, r.name).toBe("tcp");
  });

  it("health-checks the gateway pods over HTTP on the port traffic goes to", () => {
    expect(s.one("aws:lb/targetGroup:TargetGroup").inputs.healthCheck).toMatchObject({
      enabled: true,
      protocol: "HTTP",
      port: "traffic-port",
    });
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

  it("puts the ALB in the public subnets, hardened, logging to its own log bucket", () => {
    const lb = s.one("aws:lb/loadBalancer:LoadBalancer").inputs;
    const logBucket = s.one("aws:s3/bucket:Bucket", "test-edge-access-logs-bucket");
    expect(s.parentOf(s.parentOf(logBucket)!)?.type).toBe("vega:edge:Edge");
    expect(lb).toMatchObject({
      loadBalancerType: "application",
      internal: false,
      subnets: network.publicSubnetIds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: true,
      accessLogs: {
        enabled: true,
        bucket: `${logBucket.name}-${token(logBucket.name, 7)}`,
        prefix: config.edge.accessLogs.prefix,
      },
    });
  });

  it("creates the ALB only after the log bucket's policy lets ELB write (AWS checks at once)", () => {
    const alb = s.one("aws:lb/loadBalancer:LoadBalancer");
    const policy = s.one("aws:s3/bucketPolicy:BucketPolicy", "test-edge-access-logs-policy");
    expect(alb.dependencies).toContain(policy.urn);
    const grant = JSON.parse(policy.inputs.policy as string);
    expect(grant.Statement.map((st: { Sid: string }) => st.Sid)).toContain("ElbLogDeliveryService");
  });

  it("keeps the log bucket's lifecycle and protection as given", () => {
    expect(s.one("aws:s3/bucket:Bucket", "access-logs-bucket").protect).toBe(true);
    const rules = s.one(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "access-logs-lifecycle",
    ).inputs.rules as any[];
    expect(rules[0]).toMatchObject({
      filter: { prefix: `${config.edge.accessLogs.prefix}/` },
      expiration: { days: config.edge.accessLogs.retentionDays },
      noncurrentVersionExpiration: { noncurrentDays: args.accessLogBucket!.noncurrentVersionDays },
    });
    expect(rules[1].abortIncompleteMultipartUpload).toEqual({
      daysAfterInitiation: args.accessLogBucket!.incompleteUploadDays,
    });
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

  it("names the ALB and target group readably, within 32 characters, never fixed", () => {
    const lb = s.one("aws:lb/loadBalancer:LoadBalancer").inputs;
    const tg = s.one("aws:lb/targetGroup:TargetGroup").inputs;
    for (const name of [lb.name, tg.name]) expect(String(name).length).toBeLessThanOrEqual(32);
    expect(String(lb.name)).toMatch(/^test-edge-[0-9a-f]{6}$/);
    expect(String(tg.name)).toMatch(new RegExp(`^test-edge-${args.target.port}-[0-9a-f]{6}$`));
  });

  it("gives a replacement a new name: every input AWS cannot change in place is in the name", () => {
    const tgImmutable = {
      region,
      vpcId: "vpc-1",
      port: 8080,
      protocol: "HTTP",
      protocolVersion: "HTTP1",
      targetType: "ip",
      ipAddressType: "ipv4",
    };
    const base = targetGroupName("vega-prod-use1-edge", tgImmutable);
    const changes: Partial<typeof tgImmutable>[] = [
      { region: "us-west-2" },
      { vpcId: "vpc-2" },
      { port: 8081 },
      { protocol: "HTTPS" },
      { protocolVersion: "HTTP2" },
      { targetType: "instance" },
      { ipAddressType: "ipv6" },
    ];
    for (const change of changes)
      expect(targetGroupName("vega-prod-use1-edge", { ...tgImmutable, ...change })).not.toBe(base);
    expect(targetGroupName("vega-prod-use1-edge", tgImmutable)).toBe(base);
    const lbImmutable = { region, internal: false, loadBalancerType: "application" };
    const lb = loadBalancerName("vega-prod-use1-edge", lbImmutable);
    expect(loadBalancerName("vega-prod-use1-edge", { ...lbImmutable, internal: true })).not.toBe(
      lb,
    );
    expect(
      loadBalancerName("vega-prod-use1-edge", { ...lbImmutable, loadBalancerType: "network" }),
    ).not.toBe(lb);
    // The longest environment (12) and a long region code still fit.
    const longest = loadBalancerName("vega-abcdefghijkl-usgovw1-edge", lbImmutable);
    expect(longest.length).toBeLessThanOrEqual(32);
    expect(
      targetGroupName("vega-abcdefghijkl-usgovw1-edge", tgImmutable).length,
    ).toBeLessThanOrEqual(32);
  });

  it("keeps the target group's settings", () => {
    const tg = s.one("aws:lb/targetGroup:TargetGroup").inputs;
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

  it("replaces the binding, delete first, when its target group changes (the webhook refuses an update)", () => {
    const binding = s.one(TARGET_GROUP_BINDING_TYPE);
    expect(binding.replaceOnChanges).toEqual(["spec.targetGroupARN"]);
    expect(binding.deleteBeforeReplace).toBe(true);
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

  it("checks the ALB over HTTPS with SNI, without latency measurement (immutable, billed extra)", () => {
    expect(s.one("aws:route53/healthCheck:HealthCheck").inputs).toMatchObject({
      type: "HTTPS",
      enableSni: true,
      measureLatency: false,
    });
  });

  it("parents the health check and the record to the component, named <name>-<role>", () => {
    for (const type of ["aws:route53/record:Record", "aws:route53/healthCheck:HealthCheck"]) {
      expect(s.parentOf(s.one(type))?.type).toBe("vega:edge:DnsFailover");
    }
    expect(s.childRoles(s.ofType("vega:edge:DnsFailover")[0]!)).toEqual(["health", "record"]);
  });
});
