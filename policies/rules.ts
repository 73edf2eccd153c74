/** Every rule of the pack, by area. Add an area: one file of rules, one line here. */
import { backupPolicies } from "./backup";
import { corePolicies } from "./core";
import { edgePolicies } from "./edge";
import { kubernetesPolicies } from "./kubernetes";
import { objectivesPolicies } from "./objectives";
import { observabilityPolicies } from "./observability";
import { openSearchPolicies } from "./opensearch";
import { redisPolicies } from "./redis";
import { postgresPolicies } from "./postgres";
import type { VegaPolicy } from "./rule";

export const ALL_POLICIES: VegaPolicy[] = [
  ...corePolicies,
  ...backupPolicies,
  ...edgePolicies,
  ...kubernetesPolicies,
  ...observabilityPolicies,
  ...redisPolicies,
  ...openSearchPolicies,
  ...postgresPolicies,
  ...objectivesPolicies,
];
