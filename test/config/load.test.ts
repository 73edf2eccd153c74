import { describe, expect, it } from "vitest";
import { rawProjectConfig } from "../../config";
import { stackFileConfig } from "../harness/stack-config";

describe("rawProjectConfig", () => {
  it("decodes structured values and booleans, keeps other scalars as given", () => {
    const raw = rawProjectConfig({
      "vega-ha:role": "dr",
      "vega-ha:promoted": "true",
      "vega-ha:backup": '{"retention":{"metadataDailyDays":30}}',
      "vega-ha:environment": "123",
      "vega-ha:tags": "{not json",
      "vega-ha:edge": ' {"dns":{"standDown":true}}',
      "vega-ha:region": '"us-east-1{"',
      "aws:region": "us-east-1",
    });
    expect(raw).toEqual({
      role: "dr",
      promoted: true,
      backup: { retention: { metadataDailyDays: 30 } },
      environment: "123",
      // Not JSON after all: reaches the schema as given, which names the key and shows it.
      tags: "{not json",
      // Leading blanks before JSON are fine; a quoted scalar is not decoded (only [ and { are).
      edge: { dns: { standDown: true } },
      region: '"us-east-1{"',
    });
  });

  it("reads the stack files the way Pulumi hands them to the program", () => {
    const { config } = stackFileConfig("dr");
    const raw = rawProjectConfig(config);
    expect(raw.promoted).toBe(false);
    expect(Array.isArray((raw.platform as any).network.publicSubnetIds)).toBe(true);
  });
});
