/**
 * The stacks through Pulumi's Automation API: a LocalWorkspace over this project's folder (its
 * Pulumi.yaml and Pulumi.<stack>.yaml), the Pulumi CLI underneath. Outputs come from the state
 * backend; `up` runs the project's policy pack.
 */
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import * as path from "node:path";
import { REPO_ROOT } from "../paths";
import type { StackPort } from "./ports";

export const POLICY_PACK = path.join(REPO_ROOT, "policies");

export function automationStackPort(workDir = REPO_ROOT): StackPort {
  const stacks = new Map<string, Promise<Stack>>();
  const select = (stackName: string) => {
    if (!stacks.has(stackName))
      stacks.set(stackName, LocalWorkspace.selectStack({ stackName, workDir }));
    return stacks.get(stackName)!;
  };
  return {
    async outputs(stack) {
      const out = await (await select(stack)).outputs();
      return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.value as unknown]));
    },
    async setConfig(stack, key, value) {
      // path: true, so "vega-ha:edge.dns.standDown" sets the nested key as the stack file has it
      await (await select(stack)).setConfig(key, { value }, true);
    },
    async up(stack) {
      await (
        await select(stack)
      ).up({ policyPacks: [POLICY_PACK], onOutput: (line) => process.stdout.write(line) });
    },
    async backendUrl(stack) {
      const who = await (await select(stack)).workspace.whoAmI();
      return who.url ?? "unknown";
    },
  };
}
