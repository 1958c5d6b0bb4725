/** File-system errors as one line that names the path and says what to do (never `internal error: ENOTDIR`). */
import { InputError } from "../errors.js";

const ADVICE: Readonly<Record<string, string>> = {
  ENOENT: "it does not exist; check the path",
  ENOTDIR: "a part of the path is not a directory; check the path",
  EISDIR: "it is a directory; give a file",
  EACCES: "permission denied; check its permissions",
  EPERM: "not permitted; check its permissions",
  EROFS: "the file system is read-only; choose a writable path",
  ENOSPC: "the disk is full; free some space",
  EEXIST: "it already exists; it was kept as it is",
  ELOOP: "too many symbolic links; check the path",
  ENAMETOOLONG: "the path is too long; choose a shorter one",
  EMFILE: "too many open files; raise the limit (ulimit -n)",
};

interface ErrnoLike {
  readonly code: string;
  readonly syscall?: string;
  readonly path?: string;
}

/** Whether `error` is an error of the file system (it has an errno code and a syscall). */
export function isFsError(error: unknown): error is Error & ErrnoLike {
  // Not `instanceof Error`: errors of node:fs may come from another realm (jest's VM).
  const candidate = error as Partial<ErrnoLike> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.code === "string" &&
    /^E[A-Z]+$/.test(candidate.code) &&
    typeof candidate.syscall === "string"
  );
}

/**
 * `shown: cannot <what> (CODE): advice`. `shown` is the path as the user gave it (relative to
 * the working directory); `what` says what was being done, e.g. "write the store file".
 */
export function fsError(shown: string, what: string, error: unknown): InputError {
  const code = isFsError(error) ? error.code : undefined;
  const inTheWay = code === "EEXIST" && isFsError(error) && error.syscall === "mkdir";
  const advice = inTheWay
    ? "a file stands where a directory is needed; check the path"
    : code === undefined
      ? undefined
      : ADVICE[code];
  const reason = code ?? String((error as { message?: unknown } | null)?.message ?? error);
  return new InputError(
    `${shown}: cannot ${what} (${reason})${advice === undefined ? "; check the path and its permissions" : `: ${advice}`}`,
    { cause: error },
  );
}

/** The error boundary's fallback for a file-system error that no command explained. */
export function explainFsError(error: Error & ErrnoLike): InputError {
  const verb =
    error.syscall === undefined ? "use" : (SYSCALL_VERBS[error.syscall] ?? error.syscall);
  return fsError(error.path ?? "a file", verb, error);
}

const SYSCALL_VERBS: Readonly<Record<string, string>> = {
  open: "open it",
  read: "read it",
  write: "write it",
  mkdir: "create the directory",
  rename: "replace it",
  stat: "read it",
  lstat: "read it",
  scandir: "list the directory",
  opendir: "list the directory",
  unlink: "remove it",
  copyfile: "copy it",
};
