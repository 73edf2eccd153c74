/**
 * `npm run dr -- status | failover [--confirm] [--force] | failback [--confirm]
 *   [--primary-stack <name>] [--dr-stack <name>]`: region failover operations (seed 16.3) over
 * the Automation API and the AWS SDK. See tools/dr/README.md.
 */
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "./paths";
import { metricsPort, objectStorePort, route53Port } from "./dr/aws";
import { failback } from "./dr/failback";
import { failover } from "./dr/failover";
import type { DrPorts } from "./dr/ports";
import { automationStackPort } from "./dr/pulumi";
import { status } from "./dr/status";
import { readProjectName, readStackFile } from "./synth/stack-file";

const USAGE =
  "usage: npm run dr -- status | failover [--confirm] [--force] | failback [--confirm] [--primary-stack <name>] [--dr-stack <name, default dr>]";

/** What the commands need on this machine, in words; empty when all is there. */
async function missingPrerequisites(): Promise<string[]> {
  const missing: string[] = [];
  const cli = spawnSync("pulumi", ["version"], { encoding: "utf8" });
  if (cli.error || cli.status !== 0)
    missing.push(
      "the Pulumi CLI on PATH, logged in to the stacks' state backend (pulumi login, or PULUMI_ACCESS_TOKEN for Pulumi Cloud): the stacks' outputs and `up` go through it",
    );
  try {
    await defaultProvider({ timeout: 2000, maxRetries: 0 })();
  } catch {
    missing.push(
      "AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, SSO or an instance role) allowed to call Route 53 (GetHealthCheck, GetHealthCheckStatus, UpdateHealthCheck; control plane in us-east-1), S3 in the DR region (the vault: GetObject, PutObject, ListBucket) and, for status and failback, S3 and CloudWatch in the primary region",
    );
  }
  return missing;
}

/** The primary stack the DR stack file names (`vega-ha:primaryStack`). */
function primaryStackOf(drStack: string): string | undefined {
  const project = readProjectName(path.join(REPO_ROOT, "Pulumi.yaml"));
  const short = drStack.split("/").pop()!;
  try {
    return readStackFile(path.join(REPO_ROOT, `Pulumi.${short}.yaml`), project).config[
      `${project}:primaryStack`
    ];
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      confirm: { type: "boolean", default: false },
      force: { type: "boolean", default: false },
      "primary-stack": { type: "string" },
      "dr-stack": { type: "string", default: "dr" },
      help: { type: "boolean", short: "h" },
    },
  });
  const command = positionals[0];
  if (values.help || !command || !["status", "failover", "failback"].includes(command)) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const drStack = values["dr-stack"]!;
  const primaryStack = values["primary-stack"] ?? primaryStackOf(drStack);
  if (!primaryStack) {
    console.error(
      `no primary stack: pass --primary-stack, or set vega-ha:primaryStack in Pulumi.${drStack}.yaml`,
    );
    return 2;
  }
  const missing = await missingPrerequisites();
  if (missing.length > 0) {
    console.error(
      [
        `npm run dr -- ${command} cannot run here; it needs:`,
        ...missing.map((m) => `  - ${m}`),
      ].join("\n"),
    );
    return 1;
  }
  const ports: DrPorts = {
    stacks: automationStackPort(),
    route53: route53Port(),
    objects: objectStorePort(),
    metrics: metricsPort(),
    now: () => new Date(),
    log: (line) => console.log(line),
  };
  const pair = { primaryStack, drStack };
  if (command === "status") return status(ports, pair);
  if (command === "failover")
    return failover(ports, { ...pair, confirm: values.confirm!, force: values.force! });
  return failback(ports, { ...pair, confirm: values.confirm! });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`npm run dr failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
