/**
 * A fake GitHub REST API on loopback, for the publisher and the github: state backend.
 * A real node:http server holding issues, pull requests, comments (paginated with Link
 * headers like GitHub), labels, the pull requests of commits, and git objects and refs with
 * GitHub's compare-and-swap semantics (422 when a ref update is not a fast forward).
 * Comments and issues have authors: what the token creates belongs to its identity (by
 * default GITHUB_TOKEN's bot, which `GET /user` refuses like GitHub does for an installation
 * token and GraphQL's viewer names), and tests can seed some by other users.
 * It records every request so tests can assert what was sent.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  /** Decoded path without the query, e.g. /repos/acme/stores/issues/3/comments. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Whether an Authorization header was sent at all, and whether it held the right token. */
  readonly hasAuthorization: boolean;
  readonly authorized: boolean;
  readonly body: string;
  status: number;
}

export interface FakeComment {
  id: number;
  body: string;
  user: FakeUser;
  created_at: string;
  updated_at: string;
}

export interface FakeUser {
  login: string;
  type: string;
}

export interface FakeIssue {
  number: number;
  /** Who opened it. */
  user: FakeUser;
  title: string;
  body: string;
  state: "open" | "closed";
  state_reason: string | null;
  labels: string[];
  comments: FakeComment[];
  /** Pull requests are issues too on GitHub (they share numbers and comments). */
  pull?: { merged_at: string | null };
}

export interface FakePull {
  readonly number: number;
  title: string;
  body: string;
  readonly head: string;
  readonly base: string;
  state: "open" | "closed";
  readonly user: { login: string; type: string };
}

export interface FakeLabel {
  name: string;
  color: string;
  description: string;
}

type GitObject =
  | { type: "blob"; content: Buffer }
  | { type: "tree"; entries: TreeEntry[] }
  | { type: "commit"; tree: string; parents: string[]; message: string };

interface TreeEntry {
  path: string;
  mode: string;
  type: string;
  sha: string;
}

export interface FailureRule {
  readonly method?: string;
  readonly path: RegExp;
  readonly status: number;
  readonly message?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** How many matching requests fail; default: all. */
  times?: number;
}

/**
 * Whom the token acts as. An installation token (GITHUB_TOKEN, a GitHub App's) cannot read
 * `GET /user` (403) and is named by GraphQL's viewer; a user's token is named by `GET /user`.
 */
export interface FakeIdentity {
  readonly kind: "installation" | "user";
  readonly login: string;
  /** What GraphQL's viewer answers, when it differs from `login` (default: `login`). */
  readonly viewerLogin?: string;
}

export interface FakeGithubOptions {
  readonly token?: string;
  /** Default: GITHUB_TOKEN's identity, the installation bot github-actions[bot]. */
  readonly identity?: FakeIdentity;
  readonly owner?: string;
  readonly repo?: string;
  /** Added before answering each request, so that concurrent clients interleave. */
  readonly latencyMs?: number;
}

type Handler = (request: ParsedRequest) => Promise<Reply> | Reply;

interface ParsedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly json: Record<string, unknown>;
  readonly params: readonly string[];
}

interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export class FakeGithub {
  readonly token: string;
  /** Whom the token acts as; a test may switch it (e.g. to a user's personal token). */
  identity: FakeIdentity;
  readonly owner: string;
  readonly repo: string;
  readonly requests: RecordedRequest[] = [];
  readonly issues = new Map<number, FakeIssue>();
  readonly labels = new Map<string, FakeLabel>();
  readonly pullsForCommit = new Map<string, number[]>();
  readonly objects = new Map<string, GitObject>();
  readonly refs = new Map<string, string>();
  readonly failures: FailureRule[] = [];
  /** Runs before a ref update is checked: a test can move the branch here to force a lost race. */
  beforeRefUpdate: ((ref: string) => Promise<void> | void) | undefined;
  /** Pull requests with a branch, for accept --pr (those of addPullRequest are issues). */
  readonly pulls = new Map<number, FakePull>();
  defaultBranch = "main";
  url = "";
  #server = createServer((req, res) => void this.#handle(req, res));
  #nextNumber = 1;
  #nextCommentId = 1000;
  #clock = Date.parse("2024-01-01T00:00:00Z");
  #latencyMs: number;
  #routes: [string, RegExp, Handler][] = [];

  constructor(options: FakeGithubOptions = {}) {
    this.token = options.token ?? "ghs_fakeFAKEfake0123456789";
    this.identity = options.identity ?? { kind: "installation", login: "github-actions[bot]" };
    this.owner = options.owner ?? "acme";
    this.repo = options.repo ?? "stores";
    this.#latencyMs = options.latencyMs ?? 0;
    this.#defineRoutes();
  }

  get repository(): string {
    return `${this.owner}/${this.repo}`;
  }

  /** Options for createGithubClient pointing here, without pacing or retries (fast tests). */
  clientOptions(): {
    token: string;
    repository: string;
    apiUrl: string;
    throttle: false;
    retries: 0;
  } {
    return {
      token: this.token,
      repository: this.repository,
      apiUrl: this.url,
      throttle: false,
      retries: 0,
    };
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ---- seeding and inspecting ------------------------------------------------------------

  addPullRequest(fields: Partial<Pick<FakeIssue, "title">> & { merged?: boolean } = {}): number {
    const number = this.#nextNumber++;
    this.issues.set(number, {
      number,
      user: user("a-contributor"),
      title: fields.title ?? `Pull request ${number}`,
      body: "",
      state: fields.merged ? "closed" : "open",
      state_reason: null,
      labels: [],
      comments: [],
      pull: { merged_at: fields.merged ? this.#now() : null },
    });
    return number;
  }

  /** An issue opened by `author`; by default the token's own identity. */
  addIssue(fields: Pick<FakeIssue, "title" | "body" | "labels">, author?: string): number {
    const number = this.#nextNumber++;
    this.issues.set(number, {
      number,
      user: user(author ?? this.identity.login),
      ...fields,
      state: "open",
      state_reason: null,
      comments: [],
    });
    return number;
  }

  /** A comment by `author` (default "someone"; the token's own: `fake.identity.login`). */
  addComment(issue: number, body: string, author = "someone"): FakeComment {
    const comment: FakeComment = {
      id: this.#nextCommentId++,
      body,
      user: user(author),
      created_at: this.#now(),
      updated_at: this.#now(),
    };
    this.#issue(issue).comments.push(comment);
    return comment;
  }

  comments(issue: number): FakeComment[] {
    return this.#issue(issue).comments;
  }

  /** Commits `files` on top of the branch (or as its first commit), bypassing the API. */
  commitFiles(branch: string, files: Readonly<Record<string, string | Buffer>>): string {
    const parent = this.refs.get(`refs/heads/${branch}`);
    const base =
      parent === undefined ? [] : (this.#object(this.#commit(parent).tree, "tree")?.entries ?? []);
    const entries = new Map(base.map((entry) => [entry.path, entry]));
    for (const [path, content] of Object.entries(files)) {
      const sha = this.#store({ type: "blob", content: Buffer.from(content) });
      entries.set(path, { path, mode: "100644", type: "blob", sha });
    }
    const tree = this.#store({ type: "tree", entries: [...entries.values()] });
    const commit = this.#store({
      type: "commit",
      tree,
      parents: parent === undefined ? [] : [parent],
      message: "seeded by the test",
    });
    this.refs.set(`refs/heads/${branch}`, commit);
    return commit;
  }

  /** The text of a file at the head of a branch, or undefined. */
  readFile(branch: string, path: string): string | undefined {
    const head = this.refs.get(`refs/heads/${branch}`);
    if (head === undefined) return undefined;
    const tree = this.#object(this.#commit(head).tree, "tree");
    const entry = tree?.entries.find((item) => item.path === path);
    const blob = entry === undefined ? undefined : this.#object(entry.sha, "blob");
    return blob?.content.toString("utf8");
  }

  /** The commits of a branch, newest first (first parents). */
  history(branch: string): string[] {
    const shas: string[] = [];
    let sha = this.refs.get(`refs/heads/${branch}`);
    while (sha !== undefined) {
      shas.push(sha);
      sha = this.#commit(sha).parents[0];
    }
    return shas;
  }

  fail(rule: FailureRule): void {
    this.failures.push(rule);
  }

  /** Everything the fake holds or received, as text: for asserting that a secret never got in. */
  everythingWritten(): string {
    const parts: string[] = this.requests.map((request) => request.body);
    for (const issue of this.issues.values()) {
      parts.push(issue.title, issue.body, ...issue.comments.map((comment) => comment.body));
    }
    for (const object of this.objects.values()) {
      parts.push(object.type === "blob" ? object.content.toString("utf8") : JSON.stringify(object));
    }
    return parts.join("\n");
  }

  countRequests(method: string, path: RegExp): number {
    return this.requests.filter((r) => r.method === method && path.test(r.path)).length;
  }

  // ---- HTTP ------------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake.invalid");
    const path = decodeURIComponent(url.pathname);
    const authorization = req.headers.authorization;
    const authorized =
      authorization !== undefined &&
      /^(token|bearer) (.+)$/i.exec(authorization)?.[2] === this.token;
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path,
      query: Object.fromEntries(url.searchParams),
      hasAuthorization: authorization !== undefined,
      authorized,
      body,
      status: 0,
    };
    this.requests.push(recorded);
    if (this.#latencyMs > 0) await delay(this.#latencyMs * (0.5 + Math.random()));
    let reply: Reply;
    try {
      reply = await this.#route(recorded, url, body);
    } catch (error) {
      reply =
        error instanceof FakeNotFound
          ? notFound()
          : { status: 500, body: { message: `fake GitHub bug: ${(error as Error).message}` } };
    }
    recorded.status = reply.status;
    res.writeHead(reply.status, {
      "content-type": "application/json; charset=utf-8",
      ...reply.headers,
    });
    res.end(reply.status === 204 ? undefined : JSON.stringify(reply.body ?? {}));
  }

  async #route(recorded: RecordedRequest, url: URL, body: string): Promise<Reply> {
    if (!recorded.hasAuthorization)
      return { status: 401, body: { message: "Requires authentication" } };
    if (!recorded.authorized) return { status: 401, body: { message: "Bad credentials" } };
    const failure = this.failures.find(
      (rule) =>
        (rule.times ?? 1) > 0 &&
        rule.path.test(recorded.path) &&
        (rule.method === undefined || rule.method === recorded.method),
    );
    if (failure !== undefined) {
      if (failure.times !== undefined) failure.times--;
      return {
        status: failure.status,
        body: { message: failure.message ?? "Injected failure" },
        ...(failure.headers === undefined ? {} : { headers: { ...failure.headers } }),
      };
    }
    if (recorded.method === "GET" && recorded.path === "/user") return this.#authenticatedUser();
    if (recorded.method === "POST" && recorded.path === "/graphql") return this.#graphql(body);
    const prefix = `/repos/${this.owner}/${this.repo}`;
    const outside = this.#repositoryAndUser(recorded, prefix);
    if (outside !== undefined) return outside;
    if (!recorded.path.startsWith(`${prefix}/`)) return notFound();
    const rest = recorded.path.slice(prefix.length);
    for (const [method, pattern, handler] of this.#routes) {
      const match = method === recorded.method ? pattern.exec(rest) : null;
      if (match === null) continue;
      const json = body === "" ? {} : (JSON.parse(body) as Record<string, unknown>);
      return handler({
        method,
        path: recorded.path,
        query: url.searchParams,
        json,
        params: match.slice(1),
      });
    }
    return notFound();
  }

  #defineRoutes(): void {
    const route = (method: string, pattern: RegExp, handler: Handler) =>
      this.#routes.push([method, pattern, handler]);

    route("GET", /^\/issues\/(\d+)\/comments$/, (r) =>
      this.#page(
        r,
        this.#issue(Number(r.params[0])).comments.map((c) => this.#commentJson(c)),
      ),
    );
    route("POST", /^\/issues\/(\d+)\/comments$/, (r) => {
      const comment = this.addComment(
        Number(r.params[0]),
        String(r.json["body"]),
        this.identity.login,
      );
      return { status: 201, body: this.#commentJson(comment) };
    });
    route("PATCH", /^\/issues\/comments\/(\d+)$/, (r) => {
      const comment = this.#findComment(Number(r.params[0]));
      if (comment === undefined) return notFound();
      comment.body = String(r.json["body"]);
      comment.updated_at = this.#now();
      return { status: 200, body: this.#commentJson(comment) };
    });
    route("DELETE", /^\/issues\/comments\/(\d+)$/, (r) => {
      const id = Number(r.params[0]);
      for (const issue of this.issues.values()) {
        const index = issue.comments.findIndex((comment) => comment.id === id);
        if (index >= 0) {
          issue.comments.splice(index, 1);
          return { status: 204 };
        }
      }
      return notFound();
    });
    route("GET", /^\/issues$/, (r) => {
      const state = r.query.get("state") ?? "open";
      const wanted = (r.query.get("labels") ?? "").split(",").filter((label) => label !== "");
      const issues = [...this.issues.values()]
        .filter((issue) => state === "all" || issue.state === state)
        .filter((issue) => wanted.every((label) => issue.labels.includes(label)))
        .sort((a, b) => b.number - a.number);
      return this.#page(
        r,
        issues.map((issue) => this.#issueJson(issue)),
      );
    });
    route("POST", /^\/issues$/, (r) => {
      const number = this.addIssue({
        title: String(r.json["title"]),
        body: String(r.json["body"] ?? ""),
        labels: (r.json["labels"] as string[] | undefined) ?? [],
      });
      return { status: 201, body: this.#issueJson(this.#issue(number)) };
    });
    route("PATCH", /^\/issues\/(\d+)$/, (r) => {
      const issue = this.issues.get(Number(r.params[0]));
      if (issue === undefined) return notFound();
      if (typeof r.json["title"] === "string") issue.title = r.json["title"];
      if (typeof r.json["body"] === "string") issue.body = r.json["body"];
      if (r.json["state"] === "open" || r.json["state"] === "closed") issue.state = r.json["state"];
      if (typeof r.json["state_reason"] === "string") issue.state_reason = r.json["state_reason"];
      return { status: 200, body: this.#issueJson(issue) };
    });
    route("GET", /^\/labels\/(.+)$/, (r) => {
      const label = this.labels.get(r.params[0]!.toLowerCase());
      return label === undefined ? notFound() : { status: 200, body: label };
    });
    route("POST", /^\/labels$/, (r) => {
      const name = String(r.json["name"]);
      if (this.labels.has(name.toLowerCase())) {
        return validationFailed([{ resource: "Label", code: "already_exists", field: "name" }]);
      }
      const label = {
        name,
        color: String(r.json["color"] ?? "ededed"),
        description: String(r.json["description"] ?? ""),
      };
      this.labels.set(name.toLowerCase(), label);
      return { status: 201, body: label };
    });
    route("GET", /^\/commits\/([0-9a-f]+)\/pulls$/, (r) => {
      const numbers = this.pullsForCommit.get(r.params[0]!) ?? [];
      return this.#page(
        r,
        numbers.map((number) => this.#pullJson(this.#issue(number))),
      );
    });
    this.#defineGitRoutes(route);
    this.#definePullRoutes(route);
  }

  #defineGitRoutes(route: (method: string, pattern: RegExp, handler: Handler) => void): void {
    route("GET", /^\/git\/ref\/(.+)$/, (r) => {
      const ref = `refs/${r.params[0]}`;
      const sha = this.refs.get(ref);
      return sha === undefined ? notFound() : { status: 200, body: this.#refJson(ref, sha) };
    });
    route("POST", /^\/git\/refs$/, (r) => {
      const ref = String(r.json["ref"]);
      const sha = String(r.json["sha"]);
      if (!/^refs\/.+/.test(ref)) return validationFailed([], "ref must start with refs/");
      if (this.#object(sha, "commit") === undefined)
        return validationFailed([], "Object does not exist");
      if (this.refs.has(ref)) return validationFailed([], "Reference already exists");
      this.refs.set(ref, sha);
      return { status: 201, body: this.#refJson(ref, sha) };
    });
    route("PATCH", /^\/git\/refs\/(.+)$/, async (r) => {
      const ref = `refs/${r.params[0]}`;
      await this.beforeRefUpdate?.(ref);
      const sha = String(r.json["sha"]);
      const current = this.refs.get(ref);
      if (current === undefined) return validationFailed([], "Reference does not exist");
      if (this.#object(sha, "commit") === undefined)
        return validationFailed([], "Object does not exist");
      if (r.json["force"] !== true && !this.#isAncestor(current, sha)) {
        return validationFailed([], "Update is not a fast forward");
      }
      this.refs.set(ref, sha);
      return { status: 200, body: this.#refJson(ref, sha) };
    });
    route("POST", /^\/git\/blobs$/, (r) => {
      const encoding = r.json["encoding"] ?? "utf-8";
      if (encoding !== "utf-8" && encoding !== "base64")
        return validationFailed([], "bad encoding");
      const content = Buffer.from(
        String(r.json["content"]),
        encoding === "base64" ? "base64" : "utf8",
      );
      const sha = this.#store({ type: "blob", content });
      return {
        status: 201,
        body: { sha, url: `${this.url}/repos/${this.repository}/git/blobs/${sha}` },
      };
    });
    route("GET", /^\/git\/blobs\/([0-9a-f]{40})$/, (r) => {
      const blob = this.#object(r.params[0]!, "blob");
      if (blob === undefined) return notFound();
      // Like GitHub: base64 wrapped at 60 characters.
      const content = (blob.content.toString("base64").match(/.{1,60}/g) ?? []).join("\n");
      return {
        status: 200,
        body: {
          sha: r.params[0],
          size: blob.content.length,
          encoding: "base64",
          content: `${content}\n`,
        },
      };
    });
    route("POST", /^\/git\/trees$/, (r) => {
      const baseSha = r.json["base_tree"];
      const base = typeof baseSha === "string" ? this.#object(baseSha, "tree") : undefined;
      if (typeof baseSha === "string" && base === undefined)
        return validationFailed([], "base_tree is invalid");
      const entries = new Map((base?.entries ?? []).map((entry) => [entry.path, entry]));
      for (const item of r.json["tree"] as (TreeEntry & { content?: unknown })[]) {
        // Like GitHub: an entry may carry its content instead of a blob's sha.
        if (typeof item.content === "string" && item.type === "blob") {
          item.sha = this.#store({ type: "blob", content: Buffer.from(item.content, "utf8") });
        }
        if (this.objects.get(item.sha)?.type !== item.type)
          return validationFailed([], "tree.sha is invalid");
        entries.set(item.path, {
          path: item.path,
          mode: item.mode,
          type: item.type,
          sha: item.sha,
        });
      }
      const sha = this.#store({ type: "tree", entries: [...entries.values()] });
      return { status: 201, body: this.#treeJson(sha) };
    });
    route("GET", /^\/git\/trees\/([0-9a-f]{40})$/, (r) =>
      this.#object(r.params[0]!, "tree") === undefined
        ? notFound()
        : { status: 200, body: this.#treeJson(r.params[0]!) },
    );
    route("POST", /^\/git\/commits$/, (r) => {
      const tree = String(r.json["tree"]);
      const parents = (r.json["parents"] as string[] | undefined) ?? [];
      if (this.#object(tree, "tree") === undefined)
        return validationFailed([], "Tree SHA does not exist");
      if (parents.some((parent) => this.#object(parent, "commit") === undefined)) {
        return validationFailed([], "Parent SHA does not exist or is not a commit object");
      }
      const sha = this.#store({
        type: "commit",
        tree,
        parents,
        message: String(r.json["message"]),
      });
      return { status: 201, body: this.#commitJson(sha) };
    });
    route("GET", /^\/git\/commits\/([0-9a-f]{40})$/, (r) =>
      this.#object(r.params[0]!, "commit") === undefined
        ? notFound()
        : { status: 200, body: this.#commitJson(r.params[0]!) },
    );
  }

  // ---- pull requests, the repository and the token's user (accept --pr) ------------------

  /** The repository's metadata and GET /user, which a workflow's token may not read (403). */
  #repositoryAndUser(recorded: RecordedRequest, prefix: string): Reply | undefined {
    if (recorded.method === "GET" && recorded.path === prefix) {
      return {
        status: 200,
        body: { full_name: this.repository, default_branch: this.defaultBranch },
      };
    }
    return undefined;
  }

  /** Opens a pull request as someone, bypassing the API. */
  addPull(fields: Pick<FakePull, "head" | "title"> & { author?: string; base?: string }): FakePull {
    const pull: FakePull = {
      number: this.#nextNumber++,
      title: fields.title,
      body: "",
      head: fields.head,
      base: fields.base ?? this.defaultBranch,
      state: "open",
      user: { login: fields.author ?? "someone", type: "User" },
    };
    this.pulls.set(pull.number, pull);
    return pull;
  }

  #definePullRoutes(route: (method: string, pattern: RegExp, handler: Handler) => void): void {
    route("GET", /^\/pulls$/, (r) => {
      const state = r.query.get("state") ?? "open";
      const head = r.query.get("head");
      const pulls = [...this.pulls.values()]
        .filter((pull) => state === "all" || pull.state === state)
        // GitHub filters by "owner:branch"; a head without the owner filters nothing.
        .filter((pull) => head === null || `${this.owner}:${pull.head}` === head)
        .sort((a, b) => b.number - a.number);
      return this.#page(
        r,
        pulls.map((pull) => this.#pullRequestJson(pull)),
      );
    });
    route("POST", /^\/pulls$/, (r) => {
      const head = String(r.json["head"]);
      const base = String(r.json["base"]);
      if (!this.refs.has(`refs/heads/${head}`) || !this.refs.has(`refs/heads/${base}`)) {
        return validationFailed([{ resource: "PullRequest", code: "invalid", field: "head" }]);
      }
      const open = [...this.pulls.values()].find((p) => p.state === "open" && p.head === head);
      if (open !== undefined) {
        return validationFailed([], `A pull request already exists for ${this.owner}:${head}.`);
      }
      const pull = this.addPull({
        head,
        base,
        title: String(r.json["title"]),
        author: this.identity.login,
      });
      pull.body = String(r.json["body"] ?? "");
      if (this.identity.kind === "installation") pull.user.type = "Bot";
      return { status: 201, body: this.#pullRequestJson(pull) };
    });
    route("PATCH", /^\/pulls\/(\d+)$/, (r) => {
      const pull = this.pulls.get(Number(r.params[0]));
      if (pull === undefined) return notFound();
      if (typeof r.json["title"] === "string") pull.title = r.json["title"];
      if (typeof r.json["body"] === "string") pull.body = r.json["body"];
      return { status: 200, body: this.#pullRequestJson(pull) };
    });
  }

  #pullRequestJson(pull: FakePull): unknown {
    return {
      number: pull.number,
      title: pull.title,
      body: pull.body,
      state: pull.state,
      user: pull.user,
      head: { ref: pull.head, sha: this.refs.get(`refs/heads/${pull.head}`) ?? null },
      base: { ref: pull.base },
      html_url: `https://github.example/${this.repository}/pull/${pull.number}`,
    };
  }

  // ---- helpers ---------------------------------------------------------------------------

  #authenticatedUser(): Reply {
    if (this.identity.kind === "installation") {
      return {
        status: 403,
        body: {
          message: "Resource not accessible by integration",
          documentation_url: "https://docs.github.com/rest/users/users#get-the-authenticated-user",
        },
      };
    }
    return { status: 200, body: { login: this.identity.login, id: 1, type: "User" } };
  }

  /** Only the viewer query: the one GraphQL query partoo-links sends. */
  #graphql(body: string): Reply {
    const query = String((JSON.parse(body || "{}") as { query?: unknown }).query ?? "");
    if (!/\bviewer\s*\{\s*login\s*\}/.test(query)) {
      return {
        status: 200,
        body: { errors: [{ message: `fake GitHub: unsupported query ${query}` }] },
      };
    }
    const login = this.identity.viewerLogin ?? this.identity.login;
    return { status: 200, body: { data: { viewer: { login } } } };
  }

  /** GitHub's page/per_page pagination with a Link header. */
  #page(r: ParsedRequest, items: unknown[]): Reply {
    const perPage = Math.min(100, Math.max(1, Number(r.query.get("per_page") ?? 30)));
    const page = Math.max(1, Number(r.query.get("page") ?? 1));
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number) => {
      const query = new URLSearchParams(r.query);
      query.set("page", String(n));
      query.set("per_page", String(perPage));
      return `${this.url}${r.path}?${query.toString()}`;
    };
    const links: string[] = [];
    if (page < last) links.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    if (page > 1) links.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
    return {
      status: 200,
      body: items.slice((page - 1) * perPage, page * perPage),
      headers: links.length > 0 ? { link: links.join(", ") } : {},
    };
  }

  #issue(number: number): FakeIssue {
    const issue = this.issues.get(number);
    if (issue === undefined) throw new FakeNotFound(`no issue #${number}`);
    return issue;
  }

  #findComment(id: number): FakeComment | undefined {
    for (const issue of this.issues.values()) {
      const comment = issue.comments.find((candidate) => candidate.id === id);
      if (comment !== undefined) return comment;
    }
    return undefined;
  }

  #now(): string {
    this.#clock += 1000;
    return new Date(this.#clock).toISOString();
  }

  #commentJson(comment: FakeComment): unknown {
    return {
      ...comment,
      html_url: `https://github.example/${this.repository}/issues#issuecomment-${comment.id}`,
    };
  }

  #issueJson(issue: FakeIssue): unknown {
    return {
      number: issue.number,
      user: { ...issue.user },
      title: issue.title,
      body: issue.body,
      state: issue.state,
      state_reason: issue.state_reason,
      labels: issue.labels.map((name) => ({ name })),
      html_url: `https://github.example/${this.repository}/issues/${issue.number}`,
      ...(issue.pull === undefined
        ? {}
        : { pull_request: { url: `${this.url}/pulls/${issue.number}` } }),
    };
  }

  #pullJson(issue: FakeIssue): unknown {
    return {
      number: issue.number,
      title: issue.title,
      state: issue.state,
      merged_at: issue.pull?.merged_at ?? null,
      html_url: `https://github.example/${this.repository}/pull/${issue.number}`,
    };
  }

  #refJson(ref: string, sha: string): unknown {
    return { ref, object: { sha, type: "commit" } };
  }

  #treeJson(sha: string): unknown {
    const tree = this.#object(sha, "tree")!;
    return { sha, tree: tree.entries, truncated: false };
  }

  #commitJson(sha: string): unknown {
    const commit = this.#commit(sha);
    return {
      sha,
      tree: { sha: commit.tree },
      parents: commit.parents.map((parent) => ({ sha: parent })),
      message: commit.message,
    };
  }

  #store(object: GitObject): string {
    const payload =
      object.type === "blob"
        ? object.content
        : Buffer.from(
            JSON.stringify(object.type === "commit" ? { ...object, at: this.#now() } : object),
          );
    const sha = createHash("sha1")
      .update(`${object.type} ${payload.length}\0`)
      .update(payload)
      .digest("hex");
    this.objects.set(sha, object);
    return sha;
  }

  #object<T extends GitObject["type"]>(
    sha: string,
    type: T,
  ): Extract<GitObject, { type: T }> | undefined {
    const object = this.objects.get(sha);
    return object?.type === type ? (object as Extract<GitObject, { type: T }>) : undefined;
  }

  #commit(sha: string): Extract<GitObject, { type: "commit" }> {
    const commit = this.#object(sha, "commit");
    if (commit === undefined) throw new Error(`no commit ${sha}`);
    return commit;
  }

  /** Whether `ancestor` is `sha` or reachable from it through parents. */
  #isAncestor(ancestor: string, sha: string): boolean {
    const seen = new Set<string>();
    const queue = [sha];
    while (queue.length > 0) {
      const current = queue.pop()!;
      if (current === ancestor) return true;
      if (seen.has(current)) continue;
      seen.add(current);
      queue.push(...(this.#object(current, "commit")?.parents ?? []));
    }
    return false;
  }
}

export async function startFakeGithub(options: FakeGithubOptions = {}): Promise<FakeGithub> {
  return new FakeGithub(options).start();
}

class FakeNotFound extends Error {}

function user(login: string): FakeUser {
  return { login, type: login.endsWith("[bot]") ? "Bot" : "User" };
}

function notFound(): Reply {
  return {
    status: 404,
    body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" },
  };
}

function validationFailed(errors: unknown[], message = "Validation Failed"): Reply {
  return {
    status: 422,
    body: { message, errors, documentation_url: "https://docs.github.com/rest" },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
