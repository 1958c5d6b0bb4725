import path from "node:path";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The arrows of the architecture (README, Development), checked on resolved paths: a module
 * of `from` may not import a module under any of `forbidden` (folders from the repository
 * root) nor any of `packages`. Type-only imports count too: an arrow is an arrow.
 */
const arrows = {
  meta: { type: "problem", schema: [{ type: "object" }] },
  create(context) {
    const { forbidden = [], packages = [], message } = context.options[0] ?? {};
    const root = context.cwd;
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== "string") return;
      const bare = source.startsWith("node:") ? source : source.split("/")[0];
      if (!source.startsWith(".")) {
        if (packages.includes(source) || packages.includes(bare)) {
          context.report({ node, message: `${message} (imports ${source})` });
        }
        return;
      }
      const target = path.relative(root, path.resolve(path.dirname(context.filename), source));
      const hit = forbidden.find(
        (folder) =>
          target === folder || target.startsWith(`${folder}/`) || `${target}` === `${folder}.js`,
      );
      if (hit !== undefined) context.report({ node, message: `${message} (imports ${target})` });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

const SRC_PARTS = [
  "cli",
  "files",
  "partoo",
  "emulator",
  "state",
  "github",
  "reconcile",
  "importer",
];
const TOP_LEVEL_MODULES = ["src/errors.ts", "src/package-info.ts"].map((file) =>
  file.replace(/\.ts$/, ".js"),
);

export default tseslint.config(
  // src/generated/: validators written by scripts/generate-validators.js (npm run generate).
  {
    ignores: ["dist/", "dist-action/", ".cache/", "node_modules/", "coverage/", "src/generated/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-console": "off",
    },
  },
  {
    // The emulator is a second opinion on partoo-api.md, not an echo of the client.
    files: ["src/emulator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^|/)partoo(/|$)",
              message:
                "src/emulator implements partoo-api.md on its own: import nothing from src/partoo",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  { plugins: { architecture: { rules: { arrows } } } },
  {
    // The core is pure: it imports nothing outside src/core, and no I/O.
    files: ["src/core/**/*.ts"],
    rules: {
      "architecture/arrows": [
        "error",
        {
          forbidden: [...SRC_PARTS.map((part) => `src/${part}`), ...TOP_LEVEL_MODULES],
          packages: [
            "node:fs",
            "node:fs/promises",
            "node:child_process",
            "node:http",
            "undici",
            "octokit",
          ],
          message: "src/core is pure: it imports nothing outside src/core",
        },
      ],
    },
  },
  {
    // The state layer is a port with its file backend; the GitHub backend lives in src/github.
    files: ["src/state/**/*.ts"],
    rules: {
      "architecture/arrows": [
        "error",
        {
          forbidden: ["src/github", "src/cli"],
          packages: ["octokit"],
          message: "src/state imports nothing from src/github (the GitHub backend is passed in)",
        },
      ],
    },
  },
  {
    // Only the entry points (the CLI, the Action's index) read the environment; everything
    // else gets it through the services.
    files: ["src/**/*.ts"],
    ignores: ["src/cli/**", "src/action/index.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "read the environment in src/cli only, and pass what is needed in",
        },
      ],
    },
  },
);
