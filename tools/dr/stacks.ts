/** The two stacks' outputs as the DR commands read them: from the state backend, parsed by the contract. */
import { leaderProblem, stackOutputsSchema, type StackOutputs } from "../../config/contract";
import type { StackPort } from "./ports";

export interface StackPair {
  primaryStack: string;
  drStack: string;
}

export interface Topology extends StackPair {
  primary: StackOutputs;
  dr: StackOutputs;
}

/** Thrown for a state that makes a command refuse (exit 2): nothing was changed. */
export class Refusal extends Error {}

async function read(stacks: StackPort, stack: string, role: "primary" | "dr") {
  const parsed = stackOutputsSchema.safeParse(await stacks.outputs(stack));
  if (!parsed.success)
    throw new Refusal(
      `stack ${stack}: its outputs do not follow the contract (${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}): deploy (pulumi up) the ${role} stack first`,
    );
  if (role === "primary") {
    // the stack the DR stack follows: the primary, or (failback) a promoted DR stack
    const problem = leaderProblem(parsed.data);
    if (problem) throw new Refusal(`stack ${stack} ${problem}`);
  } else if (parsed.data.role !== role)
    throw new Refusal(`stack ${stack} has role ${parsed.data.role}, expected ${role}`);
  return parsed.data;
}

/** Both stacks' contracts, read from the state backend (no call to either region). */
export async function readTopology(stacks: StackPort, pair: StackPair): Promise<Topology> {
  return {
    ...pair,
    primary: await read(stacks, pair.primaryStack, "primary"),
    dr: await read(stacks, pair.drStack, "dr"),
  };
}
