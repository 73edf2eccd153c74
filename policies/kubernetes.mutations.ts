/** Mutations that prove the workload rules of kubernetes.ts (see mutation.ts). */
import { apiTokenOnlyWhenNeeded } from "./kubernetes";
import { editInputs, podSpec, type PolicyMutation } from "./mutation";

export const kubernetesMutations: PolicyMutation[] = [
  {
    rule: apiTokenOnlyWhenNeeded,
    breaks: "a pod under the default ServiceAccount mounts its API token",
    apply: editInputs(
      {
        type: "kubernetes:apps/v1:Deployment",
        where: (r) => podSpec(r.inputs).automountServiceAccountToken === false,
      },
      (p) => delete podSpec(p).automountServiceAccountToken,
    ),
  },
];
