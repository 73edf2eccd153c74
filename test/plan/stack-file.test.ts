import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REDACTED } from "../../components/core/plan";
import { readStackFile } from "../../tools/synth/stack-file";

const dir = mkdtempSync(path.join(tmpdir(), "vega-stack-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readStackFile", () => {
  it("encodes values as the Pulumi CLI hands them over, and never decrypts secure values", () => {
    const file = path.join(dir, "Pulumi.x.yaml");
    writeFileSync(
      file,
      [
        "config:",
        "  vega-ha:role: dr",
        "  vega-ha:promoted: true",
        "  vega-ha:token:",
        "    secure: AAABAKk2",
        "  vega-ha:observability:",
        "    subscribers:",
        "      - protocol: https",
        "        endpoint:",
        "          secure: AAABAPl3",
        "  aws:region: us-west-2",
        "  plain: 1",
      ].join("\n"),
    );
    const { config, secretKeys } = readStackFile(file, "vega-ha");
    expect(config["vega-ha:role"]).toBe("dr");
    expect(config["vega-ha:promoted"]).toBe("true");
    expect(config["vega-ha:token"]).toBe(REDACTED);
    expect(JSON.parse(config["vega-ha:observability"]!)).toEqual({
      subscribers: [{ protocol: "https", endpoint: REDACTED }],
    });
    expect(config["vega-ha:plain"]).toBe("1");
    expect(config["aws:region"]).toBe("us-west-2");
    expect(secretKeys.sort()).toEqual(["vega-ha:observability", "vega-ha:token"]);
    expect(JSON.stringify(config)).not.toMatch(/AAAB/);
  });
});
