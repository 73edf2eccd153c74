/** `vega-ha:region` is checked against the AWS provider's own region list, not a pattern. */
import { Region } from "@pulumi/aws/types/enums";
import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../config";
import { awsRegion } from "../../config/types";
import { configErrorOf, minimalPrimary } from "../harness/config";

describe("vega-ha:region", () => {
  it("accepts every region of @pulumi/aws's Region enum", () => {
    const regions = Object.values(Region);
    expect(regions.length).toBeGreaterThan(0);
    for (const region of regions) expect(awsRegion().safeParse(region).success, region).toBe(true);
  });

  it.each(["us-moon-7", "us-east-9", "US-EAST-1", "us-east-1 ", ""])(
    "refuses %j, naming the key and the value",
    (region) => {
      const err = configErrorOf(() => parseStackConfig({ ...minimalPrimary(), region }));
      expect(err.problems).toEqual([
        {
          key: "vega-ha:region",
          message: `expected an AWS region such as us-east-1 (one of @pulumi/aws's Region enum), got ${JSON.stringify(region)}`,
        },
      ]);
    },
  );

  it("refuses a value that is not a string", () => {
    const err = configErrorOf(() => parseStackConfig({ ...minimalPrimary(), region: 1 }));
    expect(err.problems).toEqual([
      { key: "vega-ha:region", message: "expected an AWS region such as us-east-1, got 1" },
    ]);
  });
});
