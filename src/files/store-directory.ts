/**
 * The file system side of the store files: which entries of the stores directory are store
 * files, and reading one without ever blocking on a FIFO or reading a huge file whole.
 */
import { readdir, realpath } from "node:fs/promises";
import type { Dirent } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import { MAX_FILE_BYTES, STORE_EXTENSION } from "./limits.js";
import type { StoreIssue } from "./issues.js";
import { tooLargeIssue } from "./decode-text.js";
import { escapeUnsafe, hasUnsafeChars } from "../core/excerpt.js";
import {
  isWithin,
  NOT_A_FILE,
  readRegularFile,
  resolveInside,
  type Repository,
} from "./repository.js";

export interface StoreEntry {
  /** Absolute path, in the real (link-free) path of the stores directory. */
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
 * since their author surely meant them to be read. The directory itself must lie inside the
 * repository, after following links.
 */
export async function listStoreFiles(
  dir: string,
  displayRoot: string,
  only: ReadonlySet<string> | undefined,
  repository: Repository,
): Promise<Listing> {
  const shownDir = displayPath(displayRoot, dir);
  let realDir: string;
  let dirents: Dirent[];
  try {
    realDir = await realpath(dir);
    dirents = await readdir(realDir, { withFileTypes: true });
  } catch (error) {
    throw directoryError(error, shownDir);
  }
  if (!isWithin(repository.root, realDir)) {
    throw new InputError(
      `${shownDir}: the stores directory is a symbolic link that leads outside the repository (${displayPath(displayRoot, repository.root)}); store files are read only from inside it: pass the real directory with --stores DIR`,
    );
  }
  const entries: StoreEntry[] = [];
  const issues: StoreIssue[] = [];
  const prefix = shownDir === "." ? "" : `${shownDir}/`;
  const warn = (file: string, message: string) =>
    issues.push({ file, message, severity: "warning" });
  // Run on every file of a large fleet at each command: plain string work, no path.* calls.
  const base = realDir.endsWith(path.sep) ? realDir : `${realDir}${path.sep}`;
  for (const dirent of dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const name = dirent.name;
    if (name.startsWith(".")) continue;
    // A name is text from the pull request too: a line break in it must not start a new
    // line (or a workflow command) in the output. Its code keeps the real name, and fails.
    const file = `${prefix}${hasUnsafeChars(name) ? escapeUnsafe(name) : name}`;
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
 * The bytes (a view of `buffer`, valid until the next read) of one store file, or the issue
 * that keeps it from being read. It reads at most MAX_FILE_BYTES + 1 bytes into `buffer`, so
 * a huge file costs nothing. An entry that is a symbolic link is first resolved: it must
 * lead to a regular file inside the repository (never a FIFO, which would hang the run, nor
 * a file elsewhere whose text a message could quote).
 */
export function readStoreFile(
  entry: StoreEntry,
  buffer: Buffer,
  repository: Repository,
): { bytes: Buffer } | { issue: StoreIssue } {
  const fail = (message: string) => ({
    issue: { file: entry.file, severity: "error" as const, message },
  });
  let target = entry.path;
  if (entry.symlink) {
    const resolved = resolveInside(entry.path, repository);
    if ("problem" in resolved) return fail(resolved.problem);
    target = resolved.realPath;
  }
  const read = readRegularFile(target, {
    maxBytes: MAX_FILE_BYTES,
    buffer,
    tooLarge: (size) => tooLargeIssue(entry.file, size).message,
    listedAsFile: !entry.symlink,
  });
  if ("problem" in read) {
    return fail(read.problem === NOT_A_FILE ? NOT_A_STORE_FILE : read.problem);
  }
  return { bytes: read.bytes };
}

const NOT_A_STORE_FILE = "not a regular file; a store file is a regular .yaml file";
