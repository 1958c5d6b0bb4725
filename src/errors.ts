/**
 * The few error types of the program. Every error a user can cause or meet carries a
 * one-line message (context first, then what is wrong, then what to do) and an exit code;
 * the CLI's single error boundary prints `message` and exits with `exitCode`. Anything
 * that is not an AppError is a bug and is reported as such.
 */
export class AppError extends Error {
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad command line: unknown command or flag, bad flag value, missing environment. */
export class UsageError extends AppError {}

/** Input that cannot be used: malformed store files, a corrupt state document. */
export class InputError extends AppError {}
