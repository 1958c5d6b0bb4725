/** `partoo-links emulator` as a user runs it: prints its URL, serves, stops on SIGINT/SIGTERM. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { main } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/command.js";
import { runCli } from "../helpers/cli.js";

interface Running {
  url: Promise<string>;
  stdout: () => string;
  stderr: () => string;
  stop: () => Promise<number>;
}

/** Starts the command in-process; `url` resolves with the first line of stdout. */
function startCommand(args: string[], cwd = process.cwd()): Running {
  const controller = new AbortController();
  let stdout = "";
  let stderr = "";
  let announce: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (announce = resolve));
  const io: CliIO = {
    stdout: {
      write: (chunk: string) => {
        stdout += chunk;
        if (stdout.includes("\n")) announce(stdout.split("\n")[0]!);
      },
    },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: {},
    cwd,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    signal: controller.signal,
  };
  const done = main(["emulator", ...args], io);
  void done.then(() => announce(""));
  return {
    url,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: () => {
      controller.abort(new Error("SIGINT"));
      return done;
    },
  };
}

/** Every temporary directory made here, removed after the suite. */
const temporary: string[] = [];
afterAll(() => Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true }))));

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "partoo-emulator-cli-"));
  temporary.push(dir);
  await writeFile(path.join(dir, name), text);
  return dir;
}

describe("partoo-links emulator", () => {
  test("prints its base URL first, serves the demo seed, and stops on a signal with exit 0", async () => {
    const run = startCommand(["--port", "0"]);
    const url = await run.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
    const response = await fetch(`${url}/business/c-lille-01`, {
      headers: { "x-APIKey": "any-key" },
    });
    expect(await response.json()).toMatchObject({
      id: "5409c35a97bbc544d8e26737",
      code: "lille-01",
    });
    expect(await run.stop()).toBe(0);
    expect(run.stdout().split("\n")[0]).toBe(url);
    expect(run.stderr()).toMatch(/GET \/v2\/business\/c-lille-01 200/);
    await expect(fetch(`${url}/business/c-lille-01`)).rejects.toThrow();
  });

  test("serves a seed file, accepts only --api-key, and limits with --rate-limit", async () => {
    const dir = await tempFile(
      "seed.json",
      JSON.stringify({
        businesses: [
          { id: "b1", code: "nice-04", name: "Nice", status: "open", place_action_links: [] },
        ],
      }),
    );
    const run = startCommand(
      ["--port", "0", "--seed", "seed.json", "--api-key", "only-this-key", "--rate-limit", "2"],
      dir,
    );
    const url = await run.url;
    const get = (key: string) =>
      fetch(`${url}/business/c-nice-04`, { headers: { "x-APIKey": key } });
    expect((await get("other-key")).status).toBe(401);
    expect((await get("only-this-key")).status).toBe(200);
    expect((await get("only-this-key")).status).toBe(200);
    const limited = await get("only-this-key");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await run.stop()).toBe(0);
    expect(run.stderr()).not.toContain("only-this-key");
  });

  test("fault flags make it fail on purpose, the same way with the same --fault-seed", async () => {
    const statuses = async () => {
      const run = startCommand(["--port", "0", "--error-rate", "0.5", "--fault-seed", "7"]);
      const url = await run.url;
      const seen: number[] = [];
      for (let i = 0; i < 12; i++) {
        seen.push(
          (await fetch(`${url}/business/c-paris-01`, { headers: { "x-APIKey": "k" } })).status,
        );
      }
      expect(await run.stop()).toBe(0);
      return seen;
    };
    const first = await statuses();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await statuses()).toEqual(first);
  });

  test("--body-shape, --normalize-urls and --google-refuses change what it accepts and stores", async () => {
    const dir = await tempFile(
      "seed.json",
      JSON.stringify({
        businesses: [
          { id: "b1", code: "nice-04", name: "Nice", status: "open", place_action_links: [] },
        ],
      }),
    );
    const run = startCommand(
      [
        "--port",
        "0",
        "--seed",
        "seed.json",
        "--body-shape",
        "wrapped",
        "--normalize-urls",
        "--google-refuses",
        "FOOD_DELIVERY=INVALID_LOCATION_CATEGORY",
      ],
      dir,
    );
    const url = await run.url;
    const links = `${url}/business/c-nice-04/place_action_links`;
    const post = (body: unknown) =>
      fetch(links, {
        method: "POST",
        headers: { "x-APIKey": "k", "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const shop = [
      { gmb_id: "SHOP_ONLINE", urls: [{ value: "https://SHOP.example", is_preferred: true }] },
    ];
    expect((await post(shop)).status).toBe(400);
    expect((await post({ place_action_links: shop })).status).toBe(200);
    const live = await (await fetch(links, { headers: { "x-APIKey": "k" } })).text();
    expect(live).toContain("https://shop.example/");
    const food = [
      { gmb_id: "FOOD_DELIVERY", urls: [{ value: "https://f.example/", is_preferred: true }] },
    ];
    const refused = await post({ place_action_links: food });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("INVALID_LOCATION_CATEGORY");
    expect(await run.stop()).toBe(0);
  });

  test("a --google-refuses code that is not Google's is a one-line error", async () => {
    const result = await runCli([
      "emulator",
      "--port",
      "0",
      "--google-refuses",
      "FOOD_DELIVERY=NOPE",
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^partoo-links: --google-refuses "FOOD_DELIVERY=NOPE": expected TYPE=CODE with one of Google's codes \(INVALID_URL/,
    );
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("a bad seed file is a one-line error", async () => {
    const dir = await tempFile("seed.json", '{"businesses": [{"id": "b1", "status": "gone"}]}');
    const result = await runCli(["emulator", "--port", "0", "--seed", "seed.json"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^partoo-links: seed\.json: businesses\[0\]\.status: expected one of open/,
    );
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("a missing seed file is a one-line error", async () => {
    const result = await runCli(["emulator", "--seed", "nowhere.json"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "partoo-links: nowhere.json: cannot read the seed file (ENOENT); check the path given to --seed\n",
    );
  });

  test.each([
    [["--port", "70000"], /--port 70000: expected a port from 0 to 65535/],
    [["--port", "x"], /--port x: expected a whole number/],
    [["--rate-limit", "0"], /--rate-limit 0: expected a whole number of at least 1/],
    [["--error-rate", "2"], /--error-rate 2: expected a probability from 0 to 1/],
    [["--api-key", " "], /--api-key: give a non-empty key/],
  ])("refuses %j with a one-line usage error", async (args, message) => {
    const result = await runCli(["emulator", ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("a port in use is a one-line error", async () => {
    const first = startCommand(["--port", "0"]);
    const port = new URL(await first.url).port;
    const result = await runCli(["emulator", "--port", port]);
    await first.stop();
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `partoo-links: --port ${port}: the port is in use; choose another one, or --port 0 for a free one\n`,
    );
  });
});
