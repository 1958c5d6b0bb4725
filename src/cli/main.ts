/**
 * The entry point: parses the command line, runs one command, and is the one error boundary
 * that turns errors into a one-line message and an exit code.
 */
import { setMaxListeners } from "node:events";
import { parseArgs } from "node:util";
import { AppError, UsageError } from "../errors.js";
import { didYouMean } from "../core/suggest.js";
import type { CliIO, Command, OptionSpec } from "./command.js";
import { commands } from "./commands/index.js";
import { explainFsError, isFsError } from "./fs-errors.js";
import type { ServiceFactories } from "./services.js";
import { packageVersion } from "../package-info.js";
import { createRedactor, secretsFromEnv, stripUrlCredentials } from "../redact.js";
import { isTerminal, stdWriter } from "./std-streams.js";
import { boundHeapGrowth } from "../heap.js";

const PROGRAM = "partoo-links";

const globalOptions: Record<string, OptionSpec> = {
  help: { type: "boolean", short: "h", description: "show this help" },
  debug: { type: "boolean", description: "print stack traces of errors" },
};

/** How long a second signal waits for the confirmed records to be saved before exiting anyway. */
const FORCED_EXIT_SAVE_MS = 5_000;

export function defaultIO(): CliIO {
  const controller = new AbortController();
  // Every request waiting for its turn listens to this signal: many at once is normal.
  setMaxListeners(0, controller.signal);
  const finishers = new Set<() => Promise<unknown>>();
  let signals = 0;
  const stderr = stdWriter(2);
  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals === 1) {
      stderr.write(
        `\n${PROGRAM}: ${signal} received: stopping, requests in flight are cancelled and what Partoo confirmed is saved (again to exit at once)…\n`,
      );
      controller.abort(new Error(signal));
      return;
    }
    if (signals > 2) return;
    // A second signal ends the process at once, after saving what is confirmed (bounded).
    stderr.write(`\n${PROGRAM}: ${signal} again: saving what is confirmed, then exiting\n`);
    const timer = setTimeout(() => process.exit(130), FORCED_EXIT_SAVE_MS);
    void Promise.allSettled([...finishers].map((finish) => finish())).then(() => {
      clearTimeout(timer);
      process.exit(130);
    });
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    stdout: stdWriter(1),
    stderr,
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTTY: isTerminal(1),
    stderrIsTTY: isTerminal(2),
    signal: controller.signal,
    beforeForcedExit(finish) {
      finishers.add(finish);
      return () => finishers.delete(finish);
    },
  };
}

/**
 * Runs one command line. Every entry point (the bin, the GitHub Action, the demo's steps,
 * tests) comes through here; `factories` substitutes the clients the services build.
 */
export async function main(
  argv: readonly string[],
  given: CliIO = defaultIO(),
  factories: ServiceFactories = {},
): Promise<number> {
  const debug = argv.includes("--debug");
  // The last line of defence: the key and the token never reach stdout or stderr, in any
  // form, whatever echoed them (a server, a library, a --debug stack).
  const redact = createRedactor(secretsFromEnv(given.env));
  const io: CliIO = {
    ...given,
    stdout: { write: (chunk: string) => given.stdout.write(redact(chunk)) },
    stderr: { write: (chunk: string) => given.stderr.write(redact(chunk)) },
  };
  try {
    return await dispatch(argv, io, debug, factories);
  } catch (error) {
    return reportError(error, io, debug);
  }
}

async function dispatch(
  argv: readonly string[],
  io: CliIO,
  debug: boolean,
  factories: ServiceFactories,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(generalHelp());
    return name === undefined ? 1 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const entry = commands.find((candidate) => candidate.name === name);
  if (entry === undefined) {
    const names = commands.filter((c) => !c.hidden).map((c) => c.name);
    throw new UsageError(
      `unknown command "${name}"${didYouMean(name, names)}; run "${PROGRAM} --help" for the list`,
    );
  }
  const command = await entry.load();
  const spec = { ...command.options, ...globalOptions };
  const { values, positionals } = parseCommandLine(command, spec, rest);
  if (values["help"] === true) {
    io.stdout.write(commandHelp(command, spec));
    return 0;
  }
  // The services import every adapter (undici, octokit): loaded only when a command runs.
  const { createServices } = await import("./services.js");
  if (command.wholeFleet === true) boundHeapGrowth(io.env["NODE_OPTIONS"]);
  return command.run({
    options: values,
    positionals,
    io,
    debug,
    services: createServices(io, values, factories),
    runCommand: (steps, stepIO) => main(steps, stepIO, factories),
  });
}

function parseCommandLine(command: Command, spec: Record<string, OptionSpec>, args: string[]) {
  const options = Object.fromEntries(
    Object.entries(spec).map(([key, option]) => [
      key,
      option.short === undefined
        ? { type: option.type }
        : { type: option.type, short: option.short },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({
      args: withOptionalValues(spec, args),
      options,
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > (command.maxPositionals ?? 0)) {
      throw new UsageError(
        `${command.name}: unexpected argument "${positionals[command.maxPositionals ?? 0]}"; run "${PROGRAM} ${command.name} --help"`,
      );
    }
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw explainParseError(command, spec, args, error as Error & { code?: string });
  }
}

/** A number as a value (`-1`, `-0.5`): parseArgs would read it as a flag. */
const NEGATIVE_NUMBER = /^-(?:\d|\.\d)/;

/**
 * A bare `--flag` of an option with an optional value becomes `--flag=` (the empty value),
 * and `--flag -1` of an option that takes a value becomes `--flag=-1`, so that the option's
 * own check says what is wrong with the number instead of parseArgs' "ambiguous" paragraph.
 */
function withOptionalValues(spec: Record<string, OptionSpec>, args: string[]): string[] {
  const end = args.indexOf("--");
  const out: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const option =
      arg.startsWith("--") && (end === -1 || index < end) ? spec[arg.slice(2)] : undefined;
    const next = args[index + 1];
    if (option?.optionalValue === true) out.push(`${arg}=`);
    else if (option?.type === "string" && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${arg}=${next}`);
      index++;
    } else out.push(arg);
  }
  return out;
}

function explainParseError(
  command: Command,
  spec: Record<string, OptionSpec>,
  args: readonly string[],
  error: Error & { code?: string },
): UsageError {
  const flags = Object.keys(spec).map((key) => `--${key}`);
  const help = `run "${PROGRAM} ${command.name} --help"`;
  const unknown = /Unknown option '([^']+)'/.exec(error.message);
  if (unknown?.[1] !== undefined) {
    const flag = unknown[1].startsWith("--") ? unknown[1].split("=")[0]! : unknown[1];
    // A short flag may come from a group (-abc, -h=3): name the argument it came from.
    const group = flag.startsWith("--") ? undefined : args.find((arg) => isShortGroup(arg, flag));
    const shown = group === undefined ? flag : `${flag} (in ${group})`;
    return new UsageError(
      `${command.name}: unknown option ${shown}${didYouMean(flag, flags)}; ${help}`,
      { cause: error },
    );
  }
  const missing = /Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/.exec(error.message);
  if (missing?.[1] !== undefined) {
    const option = spec[missing[1].slice(2)];
    return new UsageError(
      `${command.name}: ${missing[1]} needs a value${option?.valueName ? ` (${option.valueName})` : ""}; ${help}`,
      { cause: error },
    );
  }
  const noValue = /Option '(?:-\w, )?(--[\w-]+)' does not take an argument/.exec(error.message);
  if (noValue?.[1] !== undefined) {
    return new UsageError(`${command.name}: ${noValue[1]} takes no value; ${help}`, {
      cause: error,
    });
  }
  // `--only --live`: the value is missing, and what follows is a flag.
  const ambiguous = /Option '(?:-\w, )?(--[\w-]+)' argument is ambiguous/.exec(error.message);
  if (ambiguous?.[1] !== undefined) {
    const option = spec[ambiguous[1].slice(2)];
    return new UsageError(
      `${command.name}: ${ambiguous[1]} needs a value${option?.valueName ? ` (${option.valueName})` : ""}; a value that starts with "-" goes as ${ambiguous[1]}=VALUE; ${help}`,
      { cause: error },
    );
  }
  // Anything parseArgs says that is not known above: its first line only, never a paragraph.
  const first = error.message.split("\n", 1)[0]!.replace(/\.$/, "");
  return new UsageError(`${command.name}: ${first}; ${help}`, { cause: error });
}

/** Whether `arg` is a group of short flags (-abc, -h=3) that holds `flag` (-b). */
function isShortGroup(arg: string, flag: string): boolean {
  return /^-[^-]/.test(arg) && arg !== flag && arg.slice(1).includes(flag.slice(1));
}

function reportError(thrown: unknown, io: CliIO, debug: boolean): number {
  // A file-system error no command explained still gets one line naming the path.
  const error = isFsError(thrown) ? explainFsError(thrown) : thrown;
  // io redacts the secrets by value; URLs in errors may carry other credentials (user:pass@).
  if (error instanceof AppError) {
    io.stderr.write(`${PROGRAM}: ${stripUrlCredentials(error.message)}\n`);
    if (debug) io.stderr.write(`${stripUrlCredentials(stackWithCauses(error))}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(
    `${PROGRAM}: internal error: ${stripUrlCredentials(firstLine(message))} (this is a bug; run again with --debug for details)\n`,
  );
  if (debug) io.stderr.write(`${stripUrlCredentials(stackWithCauses(error))}\n`);
  return 1;
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? "";
}

function stackWithCauses(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join("\nCaused by: ");
}

function generalHelp(): string {
  const visible = commands.filter((command) => !command.hidden);
  const width = Math.max(...visible.map((command) => command.name.length));
  return [
    `${PROGRAM}: place action links of your stores, as code, through the Partoo API`,
    "",
    `Usage: ${PROGRAM} <command> [options]`,
    "",
    "Commands:",
    ...visible.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    "Environment: PARTOO_API_KEY (commands that call the API), PARTOO_API_URL.",
    `Run "${PROGRAM} <command> --help" for the options of a command.`,
    "",
  ].join("\n");
}

function commandHelp(command: Command, spec: Record<string, OptionSpec>): string {
  const rows = Object.entries(spec).map(([key, option]) => {
    const value = option.optionalValue ? `[=${option.valueName}]` : ` ${option.valueName}`;
    const flag = `${option.short ? `-${option.short}, ` : ""}--${key}${option.valueName ? value : ""}`;
    return [flag, option.description] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    `Usage: ${PROGRAM} ${command.name} [options]`,
    "",
    command.description.trimEnd(),
    "",
    "Options:",
    ...rows.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`),
    "",
  ].join("\n");
}
