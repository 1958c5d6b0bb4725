/**
 * The repository: the one directory tree that the files partoo-links reads (store files, the
 * fleet file, the state document) may come from. A pull request controls every byte of the
 * tree, symbolic links included: `stores/a.yaml -> ~/.git-credentials` must be refused before
 * it is opened, or a message quoting the "store" would print the token.
 *
 * The repository is the git work tree that holds the directory in question (its nearest
 * ancestor with a `.git` entry); outside git, a fallback the caller chooses (the working
 * directory, or the stores directory itself). A symbolic link may point anywhere inside it,
 * except into `.git` (actions/checkout keeps the token in `.git/config`).
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
} from "node:fs";
import path from "node:path";

/** Where reads are allowed, as real paths (no symbolic link in them). */
export interface Repository {
  readonly root: string;
}

/**
 * The git work tree holding `start` (the nearest of `start` and its ancestors that has a
 * `.git` entry), else `fallback`. Searched on the path as given, not its real path: when
 * `stores` is a link to `/home/runner`, the repository is still the checkout it sits in.
 */
export function findRepository(start: string, fallback: string): Repository {
  return { root: realOrSelf(findGitWorkTree(start) ?? path.resolve(fallback)) };
}

/** The nearest of `start` and its ancestors that has a `.git` entry, as given (not resolved). */
export function findGitWorkTree(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (hasEntry(path.join(dir, ".git"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** A repository whose root is given (its real path is used). */
export function repositoryAt(root: string): Repository {
  return { root: realOrSelf(path.resolve(root)) };
}

/** Whether `inner` (absolute) is `outer` or lies inside it, both absolute and normalized. */
export function isWithin(outer: string, inner: string): boolean {
  if (inner === outer) return true;
  const base = outer.endsWith(path.sep) ? outer : `${outer}${path.sep}`;
  return inner.startsWith(base);
}

export type Resolved = { readonly realPath: string } | { readonly problem: string };

/**
 * The real path of `file` when it lies inside the repository (after following every link),
 * else the problem, in words that name neither the target nor anything in it.
 */
export function resolveInside(file: string, repository: Repository): Resolved {
  let realPath: string;
  try {
    realPath = realpathSync.native(file);
  } catch (error) {
    return { problem: resolveProblem(error, file) };
  }
  if (!isWithin(repository.root, realPath)) {
    return {
      problem:
        "a symbolic link that leads outside the repository; files are read only from inside it: replace the link by the file itself",
    };
  }
  if (path.relative(repository.root, realPath).split(path.sep).includes(".git")) {
    return {
      problem:
        "a symbolic link into the .git directory, which is not a file of the repository; replace the link by the file itself",
    };
  }
  return { realPath };
}

function resolveProblem(error: unknown, file: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ELOOP") return "a loop of symbolic links; replace the link by the file itself";
  if (code === "ENOENT") {
    return isLink(file)
      ? "a broken symbolic link (it leads to nothing); fix or remove it"
      : "no such file";
  }
  if (code === "EACCES" || code === "EPERM") return "permission denied; check its permissions";
  return `cannot be read (${code ?? "unknown error"})`;
}

export type ReadInside = { readonly bytes: Buffer } | { readonly problem: string };

export interface ReadInsideOptions {
  /** Read at most this many bytes; a larger file is a problem, never read whole. */
  readonly maxBytes: number;
  /** Reused between calls to read many files cheaply (at least maxBytes + 1 long). */
  readonly buffer?: Buffer;
  /** How a file that is too large is described (default: its size). */
  readonly tooLarge?: (size: number) => string;
  /**
   * The directory listing just showed a regular file, not a link: its type is not checked
   * again. A FIFO or link swapped in meanwhile still cannot hang the run (the file is opened
   * without blocking) nor lead elsewhere (nor following links), and the read is bounded.
   */
  readonly listedAsFile?: boolean;
}

/**
 * The bytes of `file` when it is a regular file inside the repository (through links that
 * stay inside it), else the problem. Never blocks on a FIFO, never reads more than
 * `maxBytes + 1` bytes. The fleet file and any other single file a pull request controls
 * are read through this function.
 */
export function readRegularFileInside(
  file: string,
  repository: Repository,
  options: ReadInsideOptions,
): ReadInside {
  const resolved = resolveInside(file, repository);
  if ("problem" in resolved) return resolved;
  return readRegularFile(resolved.realPath, options);
}

/**
 * The bytes of `realPath`, which the caller found inside the repository with no link in its
 * path (resolveInside, or an entry of a directory already resolved). Synchronous on purpose:
 * for thousands of small store files the promise API's round trips to the thread pool cost
 * about 15 times the reads themselves; an offline plan of 10,000 stores is mostly this
 * function, so it makes as few system calls as it can: open, one read, close.
 */
export function readRegularFile(realPath: string, options: ReadInsideOptions): ReadInside {
  const buffer = options.buffer ?? Buffer.allocUnsafe(options.maxBytes + 1);
  let fd: number | undefined;
  try {
    // O_NOFOLLOW: a link swapped in after the check is refused, not followed.
    fd = openSync(realPath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    if (options.listedAsFile !== true && !fstatSync(fd).isFile()) return { problem: NOT_A_FILE };
    const limit = Math.min(buffer.length, options.maxBytes + 1);
    // A read of a regular file returns less than asked only at the file's end: one call
    // reads the whole file, or shows it is too large.
    const length = readSync(fd, buffer, 0, limit, null);
    if (length === limit) {
      const size = fstatSync(fd).size;
      return {
        problem:
          options.tooLarge?.(size) ??
          `the file is ${size} bytes, over the limit of ${options.maxBytes}`,
      };
    }
    return { bytes: buffer.subarray(0, length) };
  } catch (error) {
    return { problem: readProblem(error) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export const NOT_A_FILE = "not a regular file";

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "cannot read the file: it no longer exists";
  if (code === "ELOOP") return "a symbolic link was swapped in while reading; run again";
  if (code === "EACCES" || code === "EPERM") {
    return "cannot read the file: permission denied; check its permissions";
  }
  return `cannot read the file (${code ?? "unknown error"})`;
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function hasEntry(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function realOrSelf(dir: string): string {
  try {
    return realpathSync.native(dir);
  } catch {
    return dir;
  }
}
