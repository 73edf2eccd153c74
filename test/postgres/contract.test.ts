/**
 * The contract grows additively (still v1): a primary deployed before the metadata database
 * existed still parses, and code that needs the section names it and says what to do.
 */
import { describe, expect, it } from "vitest";
import { CONTRACT_VERSION, parsePrimaryOutputs, requirePrimarySection } from "../../config";
import { examplePrimaryOutputs } from "../harness/stack-config";

describe("contract: the postgres section", () => {
  it("is optional: an older primary's outputs still parse as v1", () => {
    const { postgres: _missing, ...older } = examplePrimaryOutputs();
    const parsed = parsePrimaryOutputs(older, "acme/vega-ha/primary");
    expect(parsed.contractVersion).toBe(CONTRACT_VERSION);
    expect(parsed.postgres).toBeUndefined();
  });

  it("when needed and missing, names it and says to deploy the primary first", () => {
    const { postgres: _missing, ...older } = examplePrimaryOutputs();
    expect(() => requirePrimarySection(parsePrimaryOutputs(older, "p"), "postgres")).toThrow(
      'the primary stack\'s outputs have no "postgres" section (contract v1): deploy (pulumi up) the primary stack first',
    );
  });

  it("refuses an instance ARN that is not an ARN", () => {
    const outputs = examplePrimaryOutputs();
    expect(() =>
      parsePrimaryOutputs(
        { ...outputs, postgres: { ...outputs.postgres, instanceArn: "db-1" } },
        "p",
      ),
    ).toThrow(/postgres\.instanceArn/);
  });
});
