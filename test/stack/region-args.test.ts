/**
 * VegaRegion's refusals and the one predicate every DR-only piece hangs on, without a synthesis:
 * a region wired to the wrong side of the contract throws before anything is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
  followsPrimary,
  validateVegaRegionArgs,
  type VegaRegionArgs,
} from "../../components/region";
import { VEGA_DASHBOARDS } from "../../dashboards";
import { examplePrimaryOutputs, stackConfig } from "../harness";

const args = (stack: "primary" | "dr", primary?: boolean): VegaRegionArgs => {
  const config = stackConfig(stack);
  return {
    config,
    platform: {} as VegaRegionArgs["platform"],
    dashboards: VEGA_DASHBOARDS,
    primary: primary ? pulumi.output(examplePrimaryOutputs()) : undefined,
  };
};

describe("VegaRegion arguments", () => {
  it("a DR region needs the primary's contract, and says so", () => {
    expect(() => validateVegaRegionArgs(args("dr"))).toThrow(
      "VegaRegion: a dr region needs the primary's outputs contract (args.primary)",
    );
    expect(() => validateVegaRegionArgs(args("dr", true))).not.toThrow();
  });

  it("the primary region reads no other stack, and says so", () => {
    expect(() => validateVegaRegionArgs(args("primary", true))).toThrow(
      "VegaRegion: the primary region never reads another stack (args.primary must be unset)",
    );
    expect(() => validateVegaRegionArgs(args("primary"))).not.toThrow();
  });

  it("only a DR region that is not promoted follows the primary", () => {
    expect(followsPrimary({ role: "dr", promoted: false })).toBe(true);
    expect(followsPrimary({ role: "dr", promoted: undefined as unknown as boolean })).toBe(true);
    expect(followsPrimary({ role: "dr", promoted: true })).toBe(false);
    expect(followsPrimary({ role: "primary", promoted: false })).toBe(false);
  });
});
