/**
 * The recording synthesis (tools/synth/recorder.ts) when the program fails inside an `apply`:
 * Pulumi rejects that while serialising an input, unhandled, and the registration never ends.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { synthFailures } from "../harness";

describe("a program failing inside an apply", () => {
  it("fails the synthesis with that error, and leaves no listener behind", async () => {
    const listeners = process.listeners("unhandledRejection").length;
    const failures = await synthFailures(() => {
      const bucket = new aws.s3.Bucket("bucket", { region: "us-east-1" });
      new aws.s3.BucketPolicy("policy", {
        region: "us-east-1",
        bucket: bucket.bucket,
        policy: bucket.arn.apply((): string => {
          throw new Error("no policy for this bucket");
        }),
      });
    });
    // Without the fail-fast this waits for ever: the test's timeout fails it. (Pulumi rejects
    // once per promise that carried the error: the same message, more than once.)
    expect([...new Set(failures.map((f) => f.message))]).toEqual([
      expect.stringContaining("no policy for this bucket"),
    ]);
    expect(process.listeners("unhandledRejection")).toHaveLength(listeners);
  });

  it("fails the synthesis when the program waits on a read that failed", async () => {
    const failures = await synthFailures(async () => {
      const ref = new pulumi.StackReference("platform", { name: "acme/platform/missing" });
      // Never resolves: the read fails (no outputs are known for that stack).
      await new Promise((resolve) => ref.outputs.apply(resolve));
    });
    expect([...new Set(failures.map((f) => f.message))]).toEqual([
      expect.stringContaining("no outputs known for stack reference acme/platform/missing"),
    ]);
  });
});
