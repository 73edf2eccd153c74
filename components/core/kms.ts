import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { childName } from "./naming";

/**
 * A component's own customer-managed KMS key in its region (rotating, 30-day deletion window),
 * with the alias `alias/<owner>`. Children `<owner>-key` and `<owner>-key-alias`.
 */
export function ownKey(
  owner: string,
  args: { region: string; description: string },
  opts: { parent: pulumi.Resource; protect: boolean },
): aws.kms.Key {
  const key = new aws.kms.Key(
    childName(owner, "key"),
    {
      region: args.region,
      description: args.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    },
    opts,
  );
  new aws.kms.Alias(
    childName(owner, "key-alias"),
    { region: args.region, name: `alias/${owner}`, targetKeyId: key.keyId },
    { parent: opts.parent },
  );
  return key;
}
