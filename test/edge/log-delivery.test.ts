import { describe, expect, it } from "vitest";
import {
  ELB_LOG_DELIVERY_ACCOUNTS,
  ELB_LOG_DELIVERY_SERVICE,
  loadBalancerLogDeliveryStatements,
} from "../../components/edge";

const bucketArn = "arn:aws:s3:::vega-prod-use1-lb-logs";
const delivery = (region: string) =>
  loadBalancerLogDeliveryStatements({
    bucketArn,
    prefix: "edge/alb",
    accountId: "123456789012",
    region,
  });

describe("load-balancer log delivery grant", () => {
  it("allows only PutObject, only under <prefix>/AWSLogs/<own account>/", () => {
    for (const s of delivery("us-east-1")) {
      expect(s.Effect).toBe("Allow");
      expect(s.Action).toBe("s3:PutObject");
      expect(s.Resource).toBe(`${bucketArn}/edge/alb/AWSLogs/123456789012/*`);
    }
  });

  it("names the regional ELB account where the region has one, and the service principal always", () => {
    const principals = delivery("us-west-2").map((s) => s.Principal);
    expect(principals).toEqual([
      { AWS: `arn:aws:iam::${ELB_LOG_DELIVERY_ACCOUNTS["us-west-2"]}:root` },
      { Service: ELB_LOG_DELIVERY_SERVICE },
    ]);
  });

  it("a region opened since August 2022 gets the service principal only", () => {
    expect(ELB_LOG_DELIVERY_ACCOUNTS["eu-central-2"]).toBeUndefined();
    expect(delivery("eu-central-2").map((s) => s.Principal)).toEqual([
      { Service: ELB_LOG_DELIVERY_SERVICE },
    ]);
  });
});

describe("who delivers ELB access logs", () => {
  it("names a 12-digit ELB account for each region that has one, and the service principal", () => {
    const entries = Object.entries(ELB_LOG_DELIVERY_ACCOUNTS);
    expect(entries.length).toBeGreaterThan(20);
    for (const [region, account] of entries) {
      expect(region).toMatch(/^[a-z]{2}(-gov)?-[a-z]+-\d$/);
      expect(account, region).toMatch(/^\d{12}$/);
    }
    // Regions opened since August 2022 know only the log-delivery service principal.
    expect(ELB_LOG_DELIVERY_SERVICE).toBe("logdelivery.elasticloadbalancing.amazonaws.com");
  });
});
