/**
 * Container images come from config as a repository plus a pinned tag or a digest. `latest`, or
 * no tag at all (which pulls `latest`), is refused: a rollout must say exactly what it runs.
 */
import { z } from "zod";
import { matching, refuse, strict } from "./types";

const component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
/** Optional registry host (with port) followed by a path, and never a `:tag` or `@digest`. */
const REPOSITORY = new RegExp(`^(?:[a-zA-Z0-9.-]+(?::\\d+)?/)?${component}(?:/${component})*$`);
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export const imageSchema = strict({
  /** Repository without tag, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/vega/gateway. Required. */
  repository: matching(
    REPOSITORY,
    "an image repository without tag or digest, e.g. registry.example.com/vega/gateway",
  ),
  /** A pinned tag such as 2.4.1 (never latest). Required unless digest is set. */
  tag: matching(TAG, "an image tag such as 2.4.1")
    .refine((t) => t !== "latest", {
      error: () => "expected a pinned tag (latest moves under a running rollout)",
    })
    .optional(),
  /** An image digest (sha256:…); wins over the tag when both are set. Default none. */
  digest: matching(DIGEST, "an image digest such as sha256:<64 hex digits>").optional(),
}).superRefine((image, ctx) => {
  if (image.tag === undefined && image.digest === undefined) {
    refuse(
      ctx,
      ["tag"],
      undefined,
      "expected a pinned tag, or a digest in image.digest (no tag pulls latest)",
    );
  }
});

export type ImageConfig = z.infer<typeof imageSchema>;

/** The reference a pod pulls: repository:tag, repository@digest, or both (the digest wins). */
export function imageReference(image: ImageConfig): string {
  return `${image.repository}${image.tag ? `:${image.tag}` : ""}${image.digest ? `@${image.digest}` : ""}`;
}
