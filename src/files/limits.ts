/** Bounds on what a store file may be, so that no input can exhaust time or memory. */

/** A store file larger than this is refused unread (a real one is well under 10 KiB). */
export const MAX_FILE_BYTES = 256 * 1024;

/** Alias nodes (`*name`) allowed in one file: enough to reuse a list, too few for an alias bomb. */
export const MAX_ALIASES = 20;

/** Passed to yaml's toJS: bounds the expansion of aliases that contain aliases. */
export const MAX_ALIAS_EXPANSION = 100;

/** YAML syntax errors listed per file; the rest are summed up in one line. */
export const MAX_YAML_ERRORS = 5;

/** Other problems listed per file (a bad file may have one per line); the rest are summed up. */
export const MAX_FILE_ISSUES = 50;

/** Nesting levels allowed; a store file has at most five. Checked only on large files. */
export const MAX_NESTING = 50;

/** Below this many characters a file cannot nest deeply enough to slow the parser down. */
export const NESTING_CHECK_MIN_CHARS = 16 * 1024;

export { MAX_URL_LENGTH } from "../core/link-url.js";

export const STORE_EXTENSION = ".yaml";
