/**
 * The script a user would write instead of partoo-links: read each store file, turn it into
 * Partoo's POST body, and send it, a few requests in flight, with no state, no plan and no
 * pacing. `confirm` adds what a careful script would do around the POST (read before, read
 * back after): the same requests partoo-links sends for a changed store, and nothing else.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Pool } from "undici";
import { parse } from "yaml";
import { setLinksBody, ROUTES, API_KEY_HEADER } from "../../../src/partoo/wire.js";
import type { TypeWrite } from "../../../src/core/model.js";
import { BENCH_API_KEY } from "./apply-support.js";

export interface ScriptOptions {
  readonly apiUrl: string;
  readonly concurrency: number;
  /** GET before and after each POST. */
  readonly confirm: boolean;
}

/** Sends every store of `dir`; returns the number of requests sent. Throws on any non-2xx. */
export async function postEveryStore(dir: string, options: ScriptOptions): Promise<number> {
  const base = new URL(options.apiUrl);
  const pool = new Pool(base.origin, { connections: options.concurrency });
  const files = readdirSync(dir).filter((name) => name.endsWith(".yaml"));
  let next = 0;
  let requests = 0;
  const send = async (method: "GET" | "POST", route: string, body?: unknown) => {
    requests++;
    const response = await pool.request({
      method,
      path: `${base.pathname}${route}`,
      headers: {
        [API_KEY_HEADER]: BENCH_API_KEY,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300)
      throw new Error(`${method} ${route}: ${response.statusCode} ${text}`);
  };
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      const store = parse(readFileSync(path.join(dir, file), "utf8")) as ScriptStore;
      const route = ROUTES.links(store.business_id ?? `c-${store.code}`);
      if (options.confirm) await send("GET", route);
      await send("POST", route, setLinksBody(writesOf(store)));
      if (options.confirm) await send("GET", route);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    await pool.close();
  }
  return requests;
}

interface ScriptStore {
  code: string;
  business_id?: string;
  links: Record<string, (string | { url: string; preferred?: boolean })[]>;
}

function writesOf(store: ScriptStore): TypeWrite[] {
  return Object.entries(store.links).map(([type, list]) => ({
    type,
    urls: list.map((link) =>
      typeof link === "string"
        ? { value: link, is_preferred: false }
        : { value: link.url, is_preferred: link.preferred === true },
    ),
  }));
}
