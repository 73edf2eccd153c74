/**
 * The AWS Load Balancer Controller's TargetGroupBinding: it registers the pods behind a
 * Service as IP targets of a target group that this project creates (not the controller).
 */
export const TARGET_GROUP_BINDING_API_VERSION = "elbv2.k8s.aws/v1beta1";
export const TARGET_GROUP_BINDING_KIND = "TargetGroupBinding";
/** How the recorded resource is typed (Pulumi's token for a custom resource). */
export const TARGET_GROUP_BINDING_TYPE = `kubernetes:${TARGET_GROUP_BINDING_API_VERSION}:${TARGET_GROUP_BINDING_KIND}`;

/**
 * How the binding is replaced. The controller's validating webhook refuses any change of
 * `spec.targetGroupARN` ("TargetGroupBinding update may not change these fields:
 * spec.targetGroupARN", aws-load-balancer-controller#2764), so a new target group means a new binding: the old one is deleted
 * first (two bindings cannot share the metadata.name) and the new one then registers the pods.
 */
export const TARGET_GROUP_BINDING_REPLACEMENT: {
  replaceOnChanges: string[];
  deleteBeforeReplace: boolean;
} = { replaceOnChanges: ["spec.targetGroupARN"], deleteBeforeReplace: true };

/**
 * The pod condition the controller sets once the pod is a healthy target of the binding named
 * `bindingName`. A pod that lists it as a readiness gate is Ready only when the ALB agrees, so a
 * rollout never takes an old pod away before its replacement takes traffic.
 */
export function targetHealthConditionType(bindingName: string): string {
  return `target-health.elbv2.k8s.aws/${bindingName}`;
}

export interface BindingSpecArgs {
  targetGroupArn: string;
  serviceName: string;
  servicePort: number;
}

/**
 * The binding's spec. No `networking` block: the security group rules are Pulumi resources
 * (components/edge/security.ts), visible in the plan and checked by policy, instead of rules the
 * controller adds to whichever node security group it finds.
 */
export function targetGroupBindingSpec(args: BindingSpecArgs) {
  return {
    targetGroupARN: args.targetGroupArn,
    targetType: "ip",
    serviceRef: { name: args.serviceName, port: args.servicePort },
  };
}
