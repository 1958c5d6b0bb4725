/**
 * The file system side of the store files: which entries of the stores directory are store
 * files, and reading one without ever blocking on a FIFO or reading a huge file whole.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from "node:fs";
import { hash } from "node:crypto";
import { readdir } from "node:fs/promises";
import type { Dirent } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import { MAX_FILE_BYTES, STORE_EXTENSION } from "./limits.js";
import type { StoreIssue } from "./issues.js";
import { tooLargeIssue } from "./decode-text.js";

export interface StoreEntry {
  /** Absolute path. */
  readonly path: string;
  /** Path for messages. */
  readonly file: string;
  /** The file name without .yaml. */
  readonly code: string;
  /** A symbolic link, to be checked before it is opened. */
  readonly symlink: boolean;
}

export interface Listing {
  readonly entries: StoreEntry[];
  readonly issues: StoreIssue[];
}

/** `path` relative to `root`, with `/` separators, as messages and annotations show it. */
export function displayPath(root: string, target: string): string {
  const relative = path.relative(root, target);
  return (relative === "" ? "." : relative).split(path.sep).join("/");
}

/**
 * The store files of `dir` (`*.yaml`, sorted). Dotfiles and files of other kinds (README.md)
 * are ignored; near misses (`.yml`, `.YAML`, subdirectories) are ignored with a warning,
 * since their author surely meant them to be read.
 */
export async function listStoreFiles(
  dir: string,
  displayRoot: string,
  only: ReadonlySet<string> | undefined,
): Promise<Listing> {
  let dirents: Dirent[];
  try {
    dirents = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw directoryError(error, displayPath(displayRoot, dir));
  }
  const entries: StoreEntry[] = [];
  const issues: StoreIssue[] = [];
  const shownDir = displayPath(displayRoot, dir);
  const prefix = shownDir === "." ? "" : `${shownDir}/`;
  const warn = (file: string, message: string) =>
    issues.push({ file, message, severity: "warning" });
  // Run on every file of a large fleet at each command: plain string work, no path.* calls.
  const base = dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`;
  for (const dirent of dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const name = dirent.name;
    if (name.startsWith(".")) continue;
    const file = `${prefix}${name}`;
    const dot = name.lastIndexOf(".");
    const extension = dot > 0 ? name.slice(dot) : "";
    const code = name.slice(0, name.length - extension.length);
    if (only !== undefined && !only.has(code)) continue;
    if (extension === STORE_EXTENSION) {
      if (dirent.isFile() || dirent.isSymbolicLink()) {
        entries.push({ path: `${base}${name}`, file, code, symlink: dirent.isSymbolicLink() });
      } else {
        issues.push({
          file,
          severity: "error",
          message: `${dirent.isDirectory() ? "a directory" : "not a regular file"} is named like a store file; a store file is a regular ${STORE_EXTENSION} file: rename or remove this one`,
        });
      }
    } else if (/^\.ya?ml$/i.test(extension)) {
      warn(
        file,
        `ignored: store files end in ${STORE_EXTENSION}; rename it to ${code}${STORE_EXTENSION}`,
      );
    } else if (dirent.isDirectory()) {
      warn(
        file,
        `ignored: store files are read from ${prefix || "./"} itself, not from subdirectories`,
      );
    }
  }
  return { entries, issues };
}

function directoryError(error: unknown, shown: string): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const fix = "run partoo-links from your repository root or pass --stores DIR";
  if (code === "ENOENT")
    return new InputError(`${shown}: no such directory; ${fix}`, { cause: error });
  if (code === "ENOTDIR")
    return new InputError(`${shown}: not a directory; ${fix}`, { cause: error });
  return new InputError(
    `${shown}: cannot read the directory (${code ?? (error as Error).message}); check its permissions`,
    { cause: error },
  );
}

/** A buffer one byte larger than the largest file accepted, reused for every file of a run. */
export function readBuffer(): Buffer {
  return Buffer.allocUnsafe(MAX_FILE_BYTES + 1);
}

/**
 * The bytes (a view of `buffer`, valid until the next read) and sha256 of one store file,
 * or the issue that keeps it from being read. It reads at most MAX_FILE_BYTES + 1 bytes
 * into `buffer`, so a huge file costs nothing; an
 * entry that is a symbolic link is first checked to lead to a regular file (a FIFO would
 * hang the run). Synchronous on purpose: for thousands of small files the promise API's
 * round trips to the thread pool cost far more than the reads (measured: about 15 times
 * the time of readFileSync); this loop costs about what readFileSync does.
 */
export function readStoreFile(
  entry: StoreEntry,
  buffer: Buffer,
): { bytes: Buffer; fileHash: string } | { issue: StoreIssue } {
  let fd: number | undefined;
  try {
    if (entry.symlink && !statSync(entry.path).isFile()) {
      return { issue: { file: entry.file, severity: "error", message: NOT_A_FILE } };
    }
    fd = openSync(entry.path, constants.O_RDONLY | constants.O_NONBLOCK);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length === buffer.length) return { issue: tooLargeIssue(entry.file, fstatSync(fd).size) };
    }
    const bytes = buffer.subarray(0, length);
    return { bytes, fileHash: hash("sha256", bytes) };
  } catch (error) {
    return { issue: { file: entry.file, severity: "error", message: readError(error) } };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const NOT_A_FILE = "not a regular file; a store file is a regular .yaml file";

function readError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT")
    return "cannot read the file: it no longer exists (a broken symbolic link?)";
  if (code === "EACCES" || code === "EPERM") {
    return "cannot read the file: permission denied; check its permissions";
  }
  return `cannot read the file (${code ?? (error as Error).message})`;
}
