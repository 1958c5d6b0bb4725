/** `partoo-links init [DIR]`: writes a new stores repository that uses the Action. */
import { readFileSync } from "node:fs";
import { lstat, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "../command.js";
import { stringOption } from "../options.js";
import { InputError, UsageError } from "../../errors.js";
import { packageRoot, packageVersion } from "../../package-info.js";
import { initFiles } from "./init-templates.js";

/** owner/name@ref (optionally owner/name/path@ref): what a workflow's `uses:` accepts. */
const ACTION_REF =
  /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}(\/[A-Za-z0-9._-]+)*@[A-Za-z0-9._/-]{1,100}$/;
/** Existing files named in the error before "and N more". */
const SHOWN_CONFLICTS = 5;

export const initCommand: Command = {
  name: "init",
  summary: "write a new stores repository (stores, fleet file, schemas, workflows) into DIR",
  description: [
    "Usage: partoo-links init [DIR] (default: the current directory).",
    "Writes stores/ with one example store, partoo-links.yaml, a copy of the schemas (editors",
    "complete offline), the Plan, Sync and Drift workflows using the GitHub Action, .gitignore",
    "and a README with the set-up steps. Never overwrites: when any of these files exists,",
    "it says which and writes nothing.",
    "",
    "Exit codes: 0 written, 1 error.",
  ].join("\n"),
  maxPositionals: 1,
  options: {
    action: {
      type: "string",
      valueName: "OWNER/NAME@REF",
      description: "the Action the workflows use (default: this package's repository @vMAJOR)",
    },
  },
  async run({ options, positionals, io, services }) {
    const action = stringOption(options, "action") ?? defaultActionRef();
    if (!ACTION_REF.test(action)) {
      throw new UsageError(
        `init: --action "${action.slice(0, 80).replace(/[^\x20-\x7e]/g, "?")}" is not OWNER/NAME@REF; e.g. --action acme/partoo-links@v1`,
      );
    }
    const shown = positionals[0] ?? ".";
    const target = services.resolve(shown);
    const files = new Map(initFiles(action));
    for (const [name, text] of await packageSchemas()) files.set(`schemas/${name}`, text);

    const existing: string[] = [];
    for (const name of files.keys()) {
      if (await exists(path.join(target, name))) existing.push(name);
    }
    if (existing.length > 0) {
      const more =
        existing.length > SHOWN_CONFLICTS ? ` and ${existing.length - SHOWN_CONFLICTS} more` : "";
      throw new InputError(
        `init ${shown}: ${existing.slice(0, SHOWN_CONFLICTS).join(", ")}${more} already exist${existing.length === 1 ? "s" : ""}; nothing was written (init never overwrites): move them away or choose another directory`,
      );
    }
    for (const [name, text] of files) {
      // overwrite: false: a file created meanwhile by someone else is an error, never replaced.
      await services.writeFile(
        path.join(target, name),
        text,
        "write a file of the new repository",
        {
          overwrite: false,
        },
      );
    }
    io.stdout.write(
      [
        `Wrote a stores repository in ${shown} (${files.size} files) using ${action}:`,
        ...[...files.keys()].map((name) => `  ${name}`),
        "Next: the five set-up steps in its README.md (stores, environment partoo, read-only key, branch protection, first sync).",
        "",
      ].join("\n"),
    );
    return 0;
  },
};

async function exists(file: string): Promise<boolean> {
  // lstat: a dangling symlink is still something init would write through.
  return lstat(file).then(
    () => true,
    () => false,
  );
}

/** The JSON Schemas of this package, copied so that editors complete without a network. */
async function packageSchemas(): Promise<[string, string][]> {
  const dir = path.join(packageRoot(), "schemas");
  const names = (await readdir(dir)).filter((name) => name.endsWith(".schema.json")).sort();
  return Promise.all(
    names.map(
      async (name) => [name, await readFile(path.join(dir, name), "utf8")] as [string, string],
    ),
  );
}

/** OWNER/partoo-links@vMAJOR from package.json's repository and version. */
export function defaultActionRef(): string {
  const manifest = JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as {
    repository?: { url?: string } | string;
  };
  const url =
    typeof manifest.repository === "string" ? manifest.repository : manifest.repository?.url;
  const match = /github\.com[/:]([^/]+)\/([^/.]+)(?:\.git)?\/?$/.exec(url ?? "");
  const repository = match ? `${match[1]}/${match[2]}` : "OWNER/partoo-links";
  return `${repository}@v${packageVersion().split(".")[0]}`;
}
