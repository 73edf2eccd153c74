import { describe, expect, it } from "vitest";
import { leaderOf } from "../../components/opensearch";
import { examplePrimaryOutputs } from "../harness";

const primary = examplePrimaryOutputs();
const leader = primary.opensearch!;

describe("the leader from the contract", () => {
  it("a primary that exports no opensearch yet: deploy (pulumi up) the primary stack first", () => {
    const { opensearch: _none, ...older } = primary;
    expect(() => leaderOf(older, "OpenSearch_2.19")).toThrow(
      /contract field opensearch.*deploy \(pulumi up\) the primary stack first/,
    );
  });

  it("another major engine version on the two sides is refused, naming the key", () => {
    const old = { ...primary, opensearch: { ...leader, engineVersion: "OpenSearch_1.3" } };
    expect(() => leaderOf(old, "OpenSearch_2.19")).toThrow(
      /vega-ha:opensearch.engineVersion is OpenSearch_2.19 but the primary runs OpenSearch_1.3/,
    );
    expect(
      leaderOf(
        { ...primary, opensearch: { ...leader, engineVersion: "OpenSearch_2.11" } },
        "OpenSearch_2.19",
      ).domainName,
    ).toBe(leader.domainName);
  });
});
