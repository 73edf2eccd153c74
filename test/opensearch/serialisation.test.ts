/**
 * Pulumi serialises a dynamic provider with its closure and runs that text in another process.
 * Under mocks the recorder keeps the serialised text (the `__provider` input): it must carry no
 * live client or credential, `require` its libraries itself, and still work when run on its own.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenSearchRest, OPENSEARCH_REST_TYPE } from "../../components/opensearch";
import { synth, type Synth } from "../harness";
import { FakeOpenSearch, TEST_CREDENTIALS } from "./fake-opensearch";

const REGION = "us-east-1";
const server = new FakeOpenSearch(REGION);
const saved = { ...process.env };
const REPOSITORY = {
  name: "vega-daily",
  bucket: "vault",
  basePath: "opensearch/snapshots",
  region: REGION,
  roleArn: "arn:aws:iam::123456789012:role/snapshots",
};
let s: Synth;
let text: string;

beforeAll(async () => {
  await server.start();
  s = await synth(() => {
    new OpenSearchRest("repo", {
      kind: "snapshotRepository",
      endpoint: "vpc-example.us-east-1.es.amazonaws.com",
      region: REGION,
      spec: REPOSITORY,
    });
  });
  text = s.one(OPENSEARCH_REST_TYPE, "repo").inputs.__provider as string;
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
});
afterAll(async () => {
  process.env = saved;
  await server.stop();
});

describe("the serialised REST provider", () => {
  it("is recorded as the resource's __provider, a module exporting handler", () => {
    expect(typeof text).toBe("string");
    expect(text).toMatch(/^exports\.handler = /);
  });

  it("requires the signer, the credential chain and the HTTP client inside its functions", () => {
    for (const lib of [
      "@smithy/signature-v4",
      "@smithy/protocol-http",
      "@aws-crypto/sha256-js",
      "@aws-sdk/credential-provider-node",
    ])
      expect(text).toContain(`require("${lib}")`);
    // No module object captured at the top: the only top-level values are the provider's own.
    const topLevel = text.split("\n").filter((l) => /^var /.test(l));
    for (const line of topLevel)
      expect(line).not.toMatch(/require\(|SignatureV4|Sha256|credentials/);
  });

  it("captures no client, credential or SDK code: it is small and names no key", () => {
    // A captured SDK client or module would pull in hundreds of kilobytes of serialised code.
    // The provider's own is about 12 KB; StrykerJS's instrumentation makes it about 34 KB, and
    // the mutation suite runs this file too.
    expect(text.length).toBeLessThan(64_000);
    expect(text).not.toContain(TEST_CREDENTIALS.accessKeyId);
    expect(text).not.toMatch(/accessKeyId\s*:/);
  });

  it("runs on its own, as the provider host runs it, against the domain's API", async () => {
    const module = { exports: {} as { handler: () => any } };
    new Function("exports", "require", "module", text)(
      module.exports,
      createRequire(__filename),
      module,
    );
    const provider = module.exports.handler();
    await provider.create({
      kind: "snapshotRepository",
      endpoint: server.url,
      region: REGION,
      spec: REPOSITORY,
    });
    expect(server.requests.map((r) => [r.method, r.path, r.signatureValid])).toEqual([
      ["PUT", "/_snapshot/vega-daily", true],
    ]);
  });
});
