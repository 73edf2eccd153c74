/**
 * The two things DNS failover needs from the deployed resources: the primary's health check
 * carries the stand-down lever's settings in both positions, and Route 53's health checkers can
 * reach the ALB however narrowly `edge.loadBalancer.ingressCidrs` is set.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  answeredRecord,
  CLIENT_PORTS,
  DnsFailover,
  Edge,
  healthCheckSwitches,
  type HealthCheckSwitches,
} from "../../components/edge";
import { DEFAULT_INVOKES } from "../../tools/synth/recorder";
import { synth, type RecordedResource, type Synth } from "../harness";
import { parsedPrimary, primaryWith } from "../harness/config";
import { edgeArgsFor } from "./fixtures";

const PREFIX_LIST_INVOKE = "aws:ec2/getManagedPrefixList:getManagedPrefixList";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const region = "ap-southeast-2";
/** Route 53's guide: allow com.amazonaws.<region>.route53-healthchecks, the resource's region. */
const checkersList = `com.amazonaws.${region}.route53-healthchecks`;

const narrowed = ["203.0.113.0/24", "2001:db8::/32"];
const openConfig = parsedPrimary(); // the stack file's default ingressCidrs
const narrowConfig = parsedPrimary(primaryWith("edge.loadBalancer", { ingressCidrs: narrowed }));

const prefixListCalls: Record<string, any>[] = [];
let s: Synth;
beforeAll(async () => {
  s = await synth(
    async () => {
      const open = new Edge("open-edge", edgeArgsFor(openConfig, region));
      new Edge("narrow-edge", edgeArgsFor(narrowConfig, region));
      for (const standDown of [false, true]) {
        new DnsFailover(`lever-${standDown ? "on" : "off"}`, {
          failover: "PRIMARY",
          region,
          zoneId: "Z0TESTZONE",
          recordName: "vega.example.com",
          loadBalancer: { dnsName: open.dnsName, zoneId: open.zoneId },
          healthPath: openConfig.edge.targetGroup.healthCheck.path,
          settings: { ...openConfig.edge.dns, standDown },
        });
      }
    },
    {
      invokes: {
        [PREFIX_LIST_INVOKE]: (inputs) => {
          prefixListCalls.push(inputs);
          return DEFAULT_INVOKES[PREFIX_LIST_INVOKE]!(inputs);
        },
      },
    },
  );
});

const healthCheckOf = (component: string): RecordedResource =>
  s.ofType("aws:route53/healthCheck:HealthCheck").find((r) => s.parentOf(r)?.name === component)!;

/** The lever's settings as recorded on a component's health check (booleans, or the test fails). */
function recordedSwitches(component: string): HealthCheckSwitches {
  const { disabled, invertHealthcheck } = healthCheckOf(component).inputs;
  expect([typeof disabled, typeof invertHealthcheck]).toEqual(["boolean", "boolean"]);
  return { disabled: disabled as boolean, invertHealthcheck: invertHealthcheck as boolean };
}

describe("the primary's health check carries the stand-down lever", () => {
  for (const standDown of [false, true]) {
    it(`standDown ${standDown}: disabled and invertHealthcheck as healthCheckSwitches derives them`, () => {
      expect(recordedSwitches(`lever-${standDown ? "on" : "off"}`)).toEqual(
        healthCheckSwitches({ standDown }),
      );
    });
  }

  it("as deployed, a stood-down primary sends clients to a healthy DR whether it is dead or answering again", () => {
    const primary = recordedSwitches("lever-on");
    const dr = recordedSwitches("lever-off");
    for (const primaryUp of [false, true]) {
      expect(
        answeredRecord({
          primary: { switches: primary, endpointUp: primaryUp },
          secondary: { switches: dr, endpointUp: true },
        }),
      ).toBe("SECONDARY");
    }
  });
});

describe("Route 53's health checkers reach the ALB", () => {
  const rulesOf = (edge: string) => {
    const sg = s.one("aws:ec2/securityGroup:SecurityGroup", `${edge}-alb-sg`);
    return s.ofType(INGRESS).filter((r) => r.inputs.securityGroupId === `${sg.name}-id`);
  };
  const fromPrefixLists = (edge: string) => rulesOf(edge).filter((r) => r.inputs.prefixListId);

  it("with narrowed ingressCidrs, the ALB admits the health checkers' prefix list on the checked port", () => {
    const hcPort = healthCheckOf("lever-off").inputs.port;
    const rules = fromPrefixLists("narrow-edge");
    expect(rules.map((r) => r.inputs)).toEqual([
      expect.objectContaining({
        ipProtocol: "tcp",
        fromPort: hcPort,
        toPort: hcPort,
        region,
        prefixListId: DEFAULT_INVOKES[PREFIX_LIST_INVOKE]!({ name: checkersList, region }).id,
      }),
    ]);
    expect(rules[0]!.inputs.cidrIpv4 ?? rules[0]!.inputs.cidrIpv6).toBeUndefined();
  });

  it("resolves the prefix list by its documented name in the ALB's region, once", () => {
    expect(prefixListCalls).toEqual([expect.objectContaining({ name: checkersList, region })]);
  });

  it("still admits clients from each narrowed block only, on 443 and 80", () => {
    const byCidr = rulesOf("narrow-edge")
      .filter((r) => !r.inputs.prefixListId)
      .map((r) => `${r.inputs.fromPort} ${r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6}`)
      .sort();
    expect(byCidr).toEqual(
      CLIENT_PORTS.flatMap(({ port }) => narrowed.map((c) => `${port} ${c}`)).sort(),
    );
  });

  it("with the default 0.0.0.0/0 nothing extra is needed: no prefix-list rule", () => {
    expect(openConfig.edge.loadBalancer.ingressCidrs).toContain("0.0.0.0/0");
    expect(fromPrefixLists("open-edge")).toEqual([]);
  });

  it("the offline plan's mock refuses a prefix list of another region, as AWS would not find it", () => {
    expect(() =>
      DEFAULT_INVOKES[PREFIX_LIST_INVOKE]!({ name: checkersList, region: "eu-west-1" }),
    ).toThrow(/not a list of region eu-west-1/);
  });
});
