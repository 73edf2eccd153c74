/**
 * `node load-as-pulumi.cjs <project dir> <entry.ts>`: registers ts-node the way Pulumi's Node.js
 * language host does for a TypeScript project (@pulumi/pulumi/cmd/run/run.js, the CommonJS
 * branch of `run()`), then requires `entry` under it. Plain JavaScript on purpose: nothing may
 * compile TypeScript before ts-node does, or the check would not be the engine's.
 *
 * Copied from run.js (kept in step by hand; @pulumi/pulumi 3.248.0): run.js itself cannot be
 * imported, its package entry starts the language host on load.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, as run.js: nothing may load
   before ts-node is registered, and require is how run.js resolves ts-node and the program. */
"use strict";
const path = require("node:path");

const [projectDir, entry] = process.argv.slice(2);
// `pulumi up` runs the program from the project directory (`--pwd`), and ts-node is told to read
// ./tsconfig.json from there (`project`); a missing file means `skipProject`.
process.chdir(projectDir);
const fromProject = (id) => require.resolve(id, { paths: [projectDir] });
const fs = require("node:fs");
const tsutils = require(fromProject("@pulumi/pulumi/tsutils"));
const semver = require(fromProject("semver"));

// run.js takes its ESM branch (ts-node/esm loader hooks) for `"type": "module"` packages only.
if (require(path.join(projectDir, "package.json")).type === "module")
  throw new Error("load-as-pulumi.cjs mirrors run.js's CommonJS branch; this package is ESM");

const tsConfigPath = process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json";
const skipProject = !fs.existsSync(tsConfigPath);
const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
// Type-checking unless PULUMI_NODEJS_TRANSPILE_ONLY or the tsconfig's noCheck says otherwise.
const transpileOnlyEnv = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
const transpileOnly = transpileOnlyEnv ? transpileOnlyEnv === "true" : compilerOptions.noCheck;
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
const ts = require(typescriptRequire);
const tsVersion = semver.parse(ts.version);
const useNodeNext = tsVersion && tsVersion.compare(new semver.SemVer("4.7.0")) >= 0;
require(tsnodeRequire).register({
  compiler: typescriptRequire,
  transpileOnly,
  project: tsConfigPath,
  skipProject,
  compilerOptions: {
    target: "ES2020",
    module: useNodeNext ? "nodenext" : "commonjs",
    moduleResolution: useNodeNext ? "nodenext" : "node",
    sourceMap: "true",
    ...compilerOptions,
  },
});
require(path.resolve(entry));
