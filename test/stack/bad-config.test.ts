import { describe, expect, it } from "vitest";
import { ConfigError } from "../../config";
import { synthStack } from "../harness";

describe("the program with a bad stack config", () => {
  it("fails with every problem named by its key, before any resource is registered", async () => {
    let error: unknown;
    try {
      await synthStack("primary", {
        override: {
          "vega-ha:backup": JSON.stringify({ retention: { metadataDailyDays: "thirty" } }),
          "vega-ha:regoin": "us-east-1",
        },
      });
    } catch (err) {
      error = err;
    }
    const pulumi = await import("@pulumi/pulumi");
    const registered = (pulumi.runtime.getMonitor() as any).getRegisteredResources().size;
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.key).sort()).toEqual([
      "vega-ha:backup.retention.metadataDailyDays",
      "vega-ha:regoin",
    ]);
    // Only the stack's root resource exists: nothing of ours was registered.
    expect(registered).toBeLessThanOrEqual(1);
  });
});
