import type { StateDocument, StoreRecord } from "../core/model.js";

/**
 * The state port: where the state document lives. `file:PATH` (src/state/file.ts) and
 * `github:BRANCH` (src/github/state-backend.ts, given the run's GitHub client) implement it.
 *
 * `read` returns the empty document when none exists yet, and throws an InputError for a
 * corrupt, unreadable or unknown-version one (never treats it as empty). Records may come
 * without their links (the fast path): `withLinks` (document.ts) loads those a command uses.
 *
 * `update` records the given store entries (and removes those mapped to `null`) on top of
 * the latest stored document, atomically. Backends with concurrent writers re-read and merge
 * on conflict, so two runs never lose each other's records. A save costs what changed: the
 * lines of the other stores are copied as they were (layout-merge.ts), and nothing of the
 * document is kept in memory for it; `read` after an update reads the document again.
 */
export interface StateBackend {
  /** For messages, e.g. "file:.partoo/state.json". */
  readonly description: string;
  read(): Promise<StateDocument>;
  update(changes: Readonly<Record<string, StoreRecord | null>>): Promise<void>;
}

/**
 * A backend whose code loads on its first read or write (`open`): a command that never
 * reads the state (validate) never loads the document's code and its validator.
 */
export function openedOnFirstUse(
  description: string,
  open: () => Promise<StateBackend>,
): StateBackend {
  let backend: Promise<StateBackend> | undefined;
  const opened = () => (backend ??= open());
  return {
    description,
    read: async () => (await opened()).read(),
    update: async (changes) => (await opened()).update(changes),
  };
}
