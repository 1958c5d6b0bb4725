/** The frame every command plugs into: its declared options, and what it receives to run. */

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly description: string;
  /** Shown in help as `--name VALUE`. */
  readonly valueName?: string;
  readonly short?: string;
  /** A string option that may be given bare (`--check-links`, read as ""): parseArgs has no optional values. */
  readonly optionalValue?: boolean;
}

/** Where a command reads and writes: passed in so tests run commands in-process. */
export interface CliIO {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths (--stores, --state file:, --out) are resolved against. */
  readonly cwd: string;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Aborted on SIGINT/SIGTERM: long commands stop starting work and save what they have. */
  readonly signal?: AbortSignal;
  /**
   * Registers what must still happen when a second SIGINT/SIGTERM ends the process at once
   * (saving the records already confirmed). Returns the function that unregisters it.
   */
  readonly beforeForcedExit?: (finish: () => Promise<unknown>) => () => void;
}

export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

export interface CommandContext {
  readonly options: OptionValues;
  readonly positionals: readonly string[];
  readonly io: CliIO;
  readonly debug: boolean;
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
  /** How many positional arguments the command takes (`init [DIR]`: 1); default none. */
  readonly maxPositionals?: number;
}
