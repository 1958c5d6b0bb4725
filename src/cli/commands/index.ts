/**
 * The list of commands, light enough to load at every start: each entry names a command and
 * says what it does, and loads the command's module (and, through it, yaml, ajv, undici or
 * octokit) only when that command runs. `--help` and a command nobody asked for cost nothing.
 */
import type { Command } from "../command.js";

export interface CommandEntry {
  readonly name: string;
  /** One line, shown in the command list; a test checks it is the command's own summary. */
  readonly summary: string;
  readonly hidden?: boolean;
  load(): Promise<Command>;
}

/** Every command, in the order the help lists them. */
export const commands: readonly CommandEntry[] = [
  {
    name: "validate",
    summary:
      "check every store file (schema, rules, Google's link rules); --check-links fetches the links",
    load: async () => (await import("./validate.js")).validateCommand,
  },
  {
    name: "plan",
    summary: "show what apply would change (offline; --live also reads Partoo, GET only)",
    load: async () => (await import("./plan.js")).planCommand,
  },
  {
    name: "apply",
    summary: "push the stores whose file changed (or never applied, or failed) and record them",
    load: async () => (await import("./apply.js")).applyCommand,
  },
  {
    name: "drift",
    summary: "compare the live links of managed stores with the files; changes nothing",
    load: async () => (await import("./drift.js")).driftCommand,
  },
  {
    name: "import",
    summary: "write store files and state from the live links of existing businesses",
    load: async () => (await import("./import.js")).importCommand,
  },
  {
    name: "accept",
    summary: "rewrite store files to match live (--drifted or --only); --pr opens a pull request",
    load: async () => (await import("./accept.js")).acceptCommand,
  },
  {
    name: "init",
    summary: "write a new stores repository (stores, fleet file, schemas, workflows) into DIR",
    load: async () => (await import("./init.js")).initCommand,
  },
  {
    name: "emulator",
    summary: "start the local Partoo emulator and print its URL",
    load: async () => (await import("./emulator.js")).emulatorCommand,
  },
  {
    name: "doctor",
    summary: "check, read-only, that the Partoo API answers as partoo-links assumes",
    load: async () => (await import("./doctor.js")).doctorCommand,
  },
  {
    name: "demo",
    summary: "run the whole tool on the built-in emulator (npm start)",
    hidden: true,
    load: async () => (await import("./demo.js")).demoCommand,
  },
];
