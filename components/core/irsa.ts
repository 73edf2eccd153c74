/**
 * IAM roles for Kubernetes service accounts (IRSA): the trust policy that lets exactly one
 * service account of the cluster assume a role through the cluster's OIDC provider.
 */

/** The service-account annotation the EKS pod identity webhook reads. */
export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

export interface IrsaSubject {
  /** The cluster's IAM OIDC provider ARN (platform.cluster.oidcProviderArn). */
  oidcProviderArn: string;
  /** Its issuer without https:// (platform.cluster.oidcProviderUrl). */
  oidcProviderUrl: string;
  namespace: string;
  serviceAccount: string;
}

/** Trust policy: sts:AssumeRoleWithWebIdentity for that service account, audience sts. */
export function irsaTrustPolicy(s: IrsaSubject) {
  return {
    Version: "2012-10-17" as const,
    Statement: [
      {
        Effect: "Allow" as const,
        Principal: { Federated: s.oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${s.oidcProviderUrl}:sub`]: `system:serviceaccount:${s.namespace}:${s.serviceAccount}`,
            [`${s.oidcProviderUrl}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  };
}
