import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REDACTED } from "../../components/core/plan";
import { readStackFile, StackFileError } from "../../tools/synth/stack-file";

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

  it("knows the line of every key and list item, named as config problems name them", () => {
    const file = path.join(dir, "Pulumi.lines.yaml");
    writeFileSync(
      file,
      [
        "# comment",
        "config:",
        "  vega-ha:role: dr",
        "",
        "  region: us-west-2",
        "  vega-ha:backup:",
        "    retention:",
        "      metadataDailyDays: 30",
        "  vega-ha:ids:",
        "    - a",
        "    - b",
      ].join("\n"),
    );
    expect(readStackFile(file, "vega-ha").lines).toEqual({
      "vega-ha:role": 3,
      "vega-ha:region": 5,
      "vega-ha:backup": 6,
      "vega-ha:backup.retention": 7,
      "vega-ha:backup.retention.metadataDailyDays": 8,
      "vega-ha:ids": 9,
      "vega-ha:ids[0]": 10,
      "vega-ha:ids[1]": 11,
    });
  });

  it("refuses invalid YAML with every problem's file, line and column, and no stack trace", () => {
    const file = path.join(dir, "Pulumi.broken.yaml");
    writeFileSync(
      file,
      ["config:", "  vega-ha:role: dr", "  vega-ha:role: primary", "\tvega-ha:region: x"].join(
        "\n",
      ),
    );
    let error: unknown;
    try {
      readStackFile(file, "vega-ha");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StackFileError);
    const { problems, message } = error as StackFileError;
    expect(problems.map(({ file: f, line, column }) => ({ f, line, column }))).toEqual([
      { f: file, line: 3, column: 3 },
      { f: file, line: 4, column: 1 },
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      "Map keys must be unique",
      "Tabs are not allowed as indentation",
    ]);
    expect(message).toContain(`${file}:3:3: Map keys must be unique\n`);
    expect(message).toContain("  vega-ha:role: primary\n  ^");
  });
});
