import * as path from "node:path";

/** The repository's root folder (where Pulumi.yaml and package.json are). */
export const REPO_ROOT = path.resolve(__dirname, "..");
