/**
 * A fleet for the apply and drift integration tests: store files and a state document in a
 * temporary directory, the Partoo emulator on loopback, and the CLI run in-process against
 * them. Every run is checked for the API key in its output and in the state document.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli, type CliResult } from "../helpers/cli.js";
import {
  startTestEmulator,
  TEST_API_KEY,
  type TestEmulator,
  type TestEmulatorOptions,
} from "../helpers/emulator.js";
import type { RequestLogEntry } from "../../src/emulator/server.js";
import { parseWholeStateDocument } from "../../src/state/document.js";
import type { StateDocument } from "../../src/core/model.js";
import type { WireTypeLinks } from "../../src/partoo/wire.js";

/** A link of a store file: a bare URL (not preferred) or `{url, preferred}`. */
export type FileLink = string | { readonly url: string; readonly preferred?: boolean };
export type FileLinks = Readonly<Record<string, readonly FileLink[]>>;

export interface Fleet {
  readonly dir: string;
  readonly storesDir: string;
  readonly statePath: string;
  readonly emu: TestEmulator;
  /** The store files as last written, by code. */
  readonly files: Map<string, FileLinks>;
  writeStore(code: string, links: FileLinks, extra?: string): Promise<void>;
  removeStore(code: string): Promise<void>;
  /** Runs a command with --stores, --state and (commands that call Partoo) --rate-limit 600000 added. */
  run(
    args: readonly string[],
    options?: { env?: Record<string, string>; signal?: AbortSignal },
  ): Promise<CliResult>;
  state(): Promise<StateDocument>;
  stateText(): Promise<string>;
  /** The live links of a store, as GET returns them. */
  live(code: string): WireTypeLinks[];
  /** The requests the emulator received since the last clear, optionally of one method. */
  requests(method?: string): RequestLogEntry[];
  /** Codes of the businesses that received a POST (one entry per POST). */
  postedCodes(): string[];
  close(): Promise<void>;
}

/** The commands that call Partoo, and so take --rate-limit. */
const PARTOO_COMMANDS = new Set(["accept", "apply", "drift", "import", "plan"]);

export const url = (code: string, suffix = ""): string =>
  `https://shop.example.com/${code}${suffix}`;

export function storeYaml(code: string, links: FileLinks, extra = ""): string {
  const lines = [`code: ${code}`];
  if (extra !== "") lines.push(extra);
  lines.push(Object.keys(links).length === 0 ? "links: {}" : "links:");
  for (const [type, list] of Object.entries(links)) {
    if (list.length === 0) {
      lines.push(`  ${type}: []`);
      continue;
    }
    lines.push(`  ${type}:`);
    for (const link of list) {
      if (typeof link === "string") lines.push(`    - ${link}`);
      else lines.push(`    - url: ${link.url}`, `      preferred: ${link.preferred === true}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export async function startFleet(options: TestEmulatorOptions = {}): Promise<Fleet> {
  const dir = await mkdtemp(path.join(tmpdir(), "partoo-apply-"));
  const storesDir = path.join(dir, "stores");
  const statePath = path.join(dir, "state.json");
  await mkdir(storesDir);
  const emu = await startTestEmulator({ seed: { businesses: [] }, ...options });
  const files = new Map<string, FileLinks>();
  const fleet: Fleet = {
    dir,
    storesDir,
    statePath,
    emu,
    files,
    async writeStore(code, links, extra = "") {
      files.set(code, links);
      await writeFile(path.join(storesDir, `${code}.yaml`), storeYaml(code, links, extra));
    },
    async removeStore(code) {
      files.delete(code);
      await rm(path.join(storesDir, `${code}.yaml`));
    },
    async run(args, options = {}) {
      const [command, ...rest] = args;
      const extra = ["--stores", storesDir, "--state", `file:${statePath}`];
      // Unpaced unless a test paces: Partoo's default of 300 a minute only slows the emulator.
      if (PARTOO_COMMANDS.has(command!) && !rest.includes("--rate-limit")) {
        extra.push("--rate-limit", "600000");
      }
      const result = await runCli([command!, ...extra, ...rest], {
        cwd: dir,
        env: { ...emu.env, ...options.env },
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      const leaked = [result.stdout, result.stderr, await fleet.stateText()].some((text) =>
        text.includes(TEST_API_KEY),
      );
      if (leaked) throw new Error(`${args.join(" ")}: the API key appears in the output or state`);
      return result;
    },
    async state() {
      const text = await fleet.stateText();
      return text === "" ? { version: 2, stores: {} } : parseWholeStateDocument(text, statePath);
    },
    async stateText() {
      try {
        return await readFile(statePath, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
        throw error;
      }
    },
    live(code) {
      return emu.emulator.store.links(`c-${code}`) ?? [];
    },
    requests(method) {
      return emu.emulator.requests.filter(
        (entry) => method === undefined || entry.method === method,
      );
    },
    postedCodes() {
      return fleet.requests("POST").map((entry) => codeOf(entry.path));
    },
    async close() {
      await emu.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return fleet;
}

/** The store code in a request path such as /v2/business/c-paris-01/place_action_links. */
export function codeOf(requestPath: string): string {
  const match = /\/business\/c-([^/]+)/.exec(requestPath);
  return match === null ? requestPath : decodeURIComponent(match[1]!);
}

/** Adds a business per code to the emulator, with the given live links. */
export function addBusinesses(
  fleet: Fleet,
  codes: readonly string[],
  links: (code: string) => WireTypeLinksSeed = () => ({}),
): void {
  for (const code of codes) {
    fleet.emu.emulator.store.addBusiness({
      id: `id-${code}`,
      code,
      name: code,
      status: "open",
      place_action_links: Object.entries(links(code)).map(([type, urls]) => ({
        gmb_id: type,
        urls,
      })),
    });
  }
}

export type WireTypeLinksSeed = Record<
  string,
  { value: string; id?: number; is_preferred?: boolean; is_editable?: boolean }[]
>;

export const codes = (count: number, prefix = "store"): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(2, "0")}`);

/**
 * Problems that make live differ from the store files, in the files' managed types: missing
 * or extra editable links, wrong preferred flags, any URL twice in a type. Empty: live matches.
 */
export function liveMismatches(fleet: Fleet, codesToCheck = [...fleet.files.keys()]): string[] {
  const problems: string[] = [];
  for (const code of codesToCheck) {
    const file = fleet.files.get(code) ?? {};
    const live = fleet.live(code);
    for (const type of live) {
      const values = type.urls.map((link) => link.value);
      if (new Set(values).size !== values.length)
        problems.push(`${code} ${type.gmb_id}: duplicate`);
    }
    for (const [type, wanted] of Object.entries(file)) {
      const editable = (live.find((entry) => entry.gmb_id === type)?.urls ?? []).filter(
        (link) => link.is_editable,
      );
      const want = wanted
        .map((link) => (typeof link === "string" ? { url: link, preferred: false } : link))
        .map((link) => `${link.url} ${link.preferred === true}`)
        .sort();
      const have = editable.map((link) => `${link.value} ${link.is_preferred}`).sort();
      if (JSON.stringify(want) !== JSON.stringify(have)) {
        problems.push(
          `${code} ${type}: live ${JSON.stringify(have)}, file ${JSON.stringify(want)}`,
        );
      }
    }
  }
  return problems;
}

/** Every link id live, by "code TYPE url". */
export function liveIds(fleet: Fleet, code: string): Record<string, number> {
  const ids: Record<string, number> = {};
  for (const type of fleet.live(code)) {
    for (const link of type.urls) ids[`${type.gmb_id} ${link.value}`] = link.id;
  }
  return ids;
}
