/**
 * The emulator's businesses and their place action links. Writes are checked completely
 * (check-write.ts) before anything changes; then, per type in the body, new links get ids
 * and the type's list is replaced. Types absent from the body are untouched.
 */
import {
  DOCUMENTED_TYPES,
  type BodyShape,
  type WireBusiness,
  type WireTypeLinks,
} from "./api-doc.js";
import { planWrite, type FieldError, type StoredLink } from "./check-write.js";
import { normalizeLikeServer } from "./normalize-url.js";
import {
  parseSeed,
  type SeedBusiness,
  type SeedDocument,
  type SeedTypeLinks,
  type SeedUrl,
} from "./seed.js";

export type { FieldError } from "./check-write.js";

/** The types the emulated Partoo accepts: the documented ones (partoo-api.md). */
export const EMULATED_TYPES: readonly string[] = DOCUMENTED_TYPES;

interface StoredBusiness {
  id: string;
  code: string | null;
  name: string;
  status: string;
  /** By type, in the order types first appeared. */
  links: Map<string, StoredLink[]>;
  /** Types Google refuses for this business → Google's error code. */
  refusals: Map<string, string>;
}

export interface StoreOptions {
  readonly types?: readonly string[];
  /** How GET shows a type without links: left out (default) or with `urls: []`. Both are handled by the client. */
  readonly emptyTypes?: "omit" | "keep";
  /** The POST body shape accepted (default "array", the seed document's). */
  readonly bodyShape?: BodyShape;
  /** Store URLs as a normalizing server would (host case, default port, percent-encoding, NFC, trailing slash). */
  readonly normalizeUrls?: boolean;
}

export class EmulatorStore {
  readonly #businesses: StoredBusiness[] = [];
  /** Indexes of #businesses: by id, and the first business of each code. */
  readonly #byId = new Map<string, StoredBusiness>();
  readonly #byCode = new Map<string, StoredBusiness>();
  readonly #types: ReadonlySet<string>;
  readonly #emptyTypes: "omit" | "keep";
  readonly #bodyShape: BodyShape;
  readonly #normalizeUrls: boolean;
  #nextLinkId = 1;

  constructor(seed: SeedDocument, options: StoreOptions = {}) {
    this.#types = new Set(options.types ?? EMULATED_TYPES);
    this.#emptyTypes = options.emptyTypes ?? "omit";
    this.#bodyShape = options.bodyShape ?? "array";
    this.#normalizeUrls = options.normalizeUrls ?? false;
    const checked = parseSeed(seed);
    // Seed ids first, so that links seeded without an id never take one a later link names.
    for (const business of checked.businesses) {
      for (const type of business.place_action_links ?? []) {
        for (const url of type.urls ?? []) {
          if (url.id !== undefined) this.#nextLinkId = Math.max(this.#nextLinkId, url.id + 1);
        }
      }
    }
    for (const business of checked.businesses) this.addBusiness(business);
  }

  /** `c-{code}` or a business id. With two businesses sharing a code, `c-{code}` finds the first. */
  #find(address: string): StoredBusiness | undefined {
    if (address.startsWith("c-")) {
      const byCode = this.#byCode.get(address.slice(2));
      if (byCode !== undefined) return byCode;
    }
    return this.#byId.get(address);
  }

  has(address: string): boolean {
    return this.#find(address) !== undefined;
  }

  /** Every business, in seed order, as Partoo's search shows it. */
  list(): WireBusiness[] {
    return this.#businesses.map(({ id, code, name, status }) => ({ id, code, name, status }));
  }

  business(address: string): WireBusiness | undefined {
    const found = this.#find(address);
    return found === undefined
      ? undefined
      : { id: found.id, code: found.code, name: found.name, status: found.status };
  }

  /** The links as GET place_action_links returns them (a copy). */
  links(address: string): WireTypeLinks[] | undefined {
    const found = this.#find(address);
    if (found === undefined) return undefined;
    return [...found.links]
      .filter(([, urls]) => this.#emptyTypes === "keep" || urls.length > 0)
      .map(([type, urls]) => ({ gmb_id: type, urls: urls.map((url) => ({ ...url })) }));
  }

  addBusiness(business: SeedBusiness): void {
    const [checked] = parseSeed({ businesses: [business] }).businesses;
    if (checked === undefined) return;
    if (this.#byId.has(checked.id)) {
      throw new Error(`the emulator already has a business with id ${checked.id}`);
    }
    const stored: StoredBusiness = {
      id: checked.id,
      code: checked.code ?? null,
      name: checked.name ?? checked.id,
      status: checked.status ?? "open",
      links: new Map(),
      refusals: new Map(Object.entries(checked.google_refusals ?? {})),
    };
    this.#businesses.push(stored);
    this.#byId.set(stored.id, stored);
    if (stored.code !== null && !this.#byCode.has(stored.code))
      this.#byCode.set(stored.code, stored);
    this.setLinks(checked.id, checked.place_action_links ?? []);
  }

  /** Replaces every link of a business, as a manual change in Partoo would (no validation). */
  setLinks(address: string, links: readonly SeedTypeLinks[]): void {
    const business = this.#require(address);
    business.links = new Map();
    for (const type of links) {
      const urls = business.links.get(type.gmb_id) ?? [];
      for (const url of type.urls ?? []) urls.push(this.#stored(url));
      business.links.set(type.gmb_id, urls);
    }
  }

  /** Adds one link by hand (e.g. a non-editable link added by a partner); returns its id. */
  addLink(address: string, type: string, url: SeedUrl): number {
    const business = this.#require(address);
    const link = this.#stored(url);
    business.links.set(type, [...(business.links.get(type) ?? []), link]);
    return link.id;
  }

  /** Removes one link by hand, whatever its type or editability. */
  removeLink(id: number): boolean {
    for (const business of this.#businesses) {
      for (const [type, urls] of business.links) {
        const kept = urls.filter((url) => url.id !== id);
        if (kept.length !== urls.length) {
          business.links.set(type, kept);
          return true;
        }
      }
    }
    return false;
  }

  /** Makes Google refuse `type` for this business with `code` (undefined: accept it again). */
  refuseType(address: string, type: string, code: string | undefined): void {
    const { refusals } = this.#require(address);
    if (code === undefined) refusals.delete(type);
    else refusals.set(type, code);
  }

  setStatus(address: string, status: string): void {
    this.#require(address).status = status;
  }

  /**
   * Applies a POST body to a business. Returns the field errors (nothing changes then), or
   * an empty list when applied.
   */
  applyWrite(address: string, body: unknown): FieldError[] {
    const business = this.#require(address);
    const { plans, errors } = planWrite(business.links, body, this.#types, {
      shape: this.#bodyShape,
      refusals: business.refusals,
    });
    if (errors.length > 0) return errors;
    const stored = (value: string) => (this.#normalizeUrls ? normalizeLikeServer(value) : value);
    for (const [type, links] of plans) {
      business.links.set(
        type,
        links.map((link) => ({
          ...link,
          id: link.id === 0 ? this.#nextLinkId++ : link.id,
          value: link.is_editable ? stored(link.value) : link.value,
        })),
      );
    }
    return [];
  }

  #stored(url: SeedUrl): StoredLink {
    if (url.id !== undefined) this.#nextLinkId = Math.max(this.#nextLinkId, url.id + 1);
    return {
      id: url.id ?? this.#nextLinkId++,
      value: url.value,
      is_preferred: url.is_preferred ?? false,
      is_editable: url.is_editable ?? true,
    };
  }

  #require(address: string): StoredBusiness {
    const business = this.#find(address);
    if (business === undefined) throw new Error(`the emulator has no business ${address}`);
    return business;
  }
}
