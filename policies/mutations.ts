/** Every rule's mutations, by area (mutation.ts). Add an area: one file of mutations, one line here. */
import { backupMutations } from "./backup.mutations";
import { coreMutations } from "./core.mutations";
import { edgeMutations } from "./edge.mutations";
import { kubernetesMutations } from "./kubernetes.mutations";
import type { PolicyMutation } from "./mutation";
import { objectivesMutations } from "./objectives.mutations";
import { observabilityMutations } from "./observability.mutations";
import { openSearchMutations } from "./opensearch.mutations";
import { postgresMutations } from "./postgres.mutations";
import { redisMutations } from "./redis.mutations";

export const ALL_MUTATIONS: PolicyMutation[] = [
  ...coreMutations,
  ...backupMutations,
  ...edgeMutations,
  ...kubernetesMutations,
  ...observabilityMutations,
  ...redisMutations,
  ...openSearchMutations,
  ...postgresMutations,
  ...objectivesMutations,
];
