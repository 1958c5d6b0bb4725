/** The frame every command plugs into: its declared options, and what it receives to run. */
import type { CliIO, OptionSpec, OptionValues } from "./io.js";
import type { Services } from "./services.js";

export type { CliIO, OptionSpec, OptionValues } from "./io.js";

export interface CommandContext {
  readonly options: OptionValues;
  readonly positionals: readonly string[];
  /** For output (stdout) only: everything else a command needs is in `services`. */
  readonly io: CliIO;
  readonly debug: boolean;
  readonly services: Services;
  /** Runs another command of this program with the same services' factories (the demo). */
  readonly runCommand: (argv: readonly string[], io: CliIO) => Promise<number>;
}

export interface Command {
  readonly name: string;
  /** One line, shown in the command list. */
  readonly summary: string;
  /** Shown under the usage line of `<command> --help`: what it does and its exit codes. */
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Returns the exit code. Throws AppError for anything the user should read. */
  run(context: CommandContext): Promise<number>;
  /** Hidden commands (the demo) are not listed in the general help. */
  readonly hidden?: boolean;
  /** Works on the whole fleet at once, requests in flight: its heap is kept near what is live (src/heap.ts). */
  readonly wholeFleet?: boolean;
  /** How many positional arguments the command takes (`init [DIR]`: 1); default none. */
  readonly maxPositionals?: number;
}
