// ESLint: typescript-eslint's recommended rules, and the direction of imports between the
// top-level folders, enforced (README "Repository layout"). Formatting is Prettier's job alone:
// no stylistic rule is switched on here.
//
// The layers, bottom to top (a folder imports only folders below it):
//   config/       zod schema, seed defaults, the contract (imports no project folder)
//   components/   ComponentResources and their pure renderers
//   dashboards/   Grafana dashboards built from the components' alert and metric definitions
//   policies/     the policy pack, over the components' resource types (beside dashboards/:
//                 neither imports the other)
//   tools/        the offline plan, benchmarks, drills
//   index.ts      the program: config -> components (+ dashboards) -> outputs
//   test/         may import anything
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

/** One zone per folder: what it must never import, and why. */
const layers = [
  {
    target: "./config",
    from: ["./components", "./dashboards", "./policies", "./tools", "./test", "./index.ts"],
    message: "config/ is the bottom layer: schema and defaults import no other project folder.",
  },
  {
    target: "./components",
    from: ["./dashboards", "./policies", "./tools", "./test", "./index.ts"],
    message:
      "components/ sit below dashboards/, policies/ and tools/: take what you need as an argument.",
  },
  {
    target: "./dashboards",
    from: ["./policies", "./tools", "./test", "./index.ts"],
    message: "dashboards/ read components/ and config/ only.",
  },
  {
    target: "./policies",
    from: ["./dashboards", "./tools", "./test", "./index.ts"],
    message: "policies/ read components/ and config/ only.",
  },
  {
    target: "./tools",
    from: ["./test", "./index.ts"],
    message: "tools/ load the program by path (require), never import it or the tests.",
  },
];

export default tseslint.config(
  { ignores: ["node_modules/", "out/", "**/*.d.ts", ".stryker-tmp/", "reports/"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,mts,mjs}"],
    plugins: { "import-x": importX },
    settings: {
      // Without these, import-x skips .ts dependencies and no-cycle sees no graph at all.
      "import-x/extensions": [".ts", ".mts", ".js", ".mjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".mts"] },
      "import-x/resolver-next": [
        createNodeResolver({ extensions: [".ts", ".mts", ".js", ".mjs"] }),
      ],
    },
    rules: {
      "import-x/no-restricted-paths": ["error", { zones: layers }],
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-self-import": "error",
      "import-x/no-useless-path-segments": "error",
      // Unused names: tsc (noUnusedLocals/Parameters) already refuses them; `_`-prefixed are meant.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // config/ is data and validation only: no Pulumi runtime or provider (the program passes the
    // stack's config in), so what imports it (every config test, the tools) starts fast.
    files: ["config/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["pulumi", "aws", "kubernetes", "postgresql", "random"].map((name) => ({
            name: `@pulumi/${name}`,
            message: "config/ loads no Pulumi runtime or provider (data such as enums is fine)",
          })),
        },
      ],
    },
  },
  {
    // Type-aware rules, only those that catch real bugs (a promise nobody awaits, an Output or
    // object printed as "[object Object]"); the no-unsafe-* family would only fight the untyped
    // resource inputs every policy and plan extension reads.
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-base-to-string": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
    },
  },
  {
    // Tests reach into mocks and engine replies: `any` there is the honest type.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
