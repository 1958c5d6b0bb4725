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
}

export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly description: string;
  /** Shown in help as `--name VALUE`. */
  readonly valueName?: string;
  readonly short?: string;
}
