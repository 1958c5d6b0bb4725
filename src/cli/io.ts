/** What a run reads from and writes to the outside world: passed in so tests run commands in-process. */

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

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly description: string;
  /** Shown in help as `--name VALUE`. */
  readonly valueName?: string;
  readonly short?: string;
  /** A string option that may be given bare (`--check-links`, read as ""): parseArgs has no optional values. */
  readonly optionalValue?: boolean;
}
