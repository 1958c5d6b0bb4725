/**
 * The one rule for an API base URL (Partoo's or GitHub's): an http(s) URL, trailing slashes
 * dropped. Messages name where the URL came from and never show credentials in it.
 */
import { UsageError } from "./errors.js";
import { stripUrlCredentials } from "./redact.js";

export function checkApiBaseUrl(raw: string, where: string, example: string): string {
  const shown = stripUrlCredentials(raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${where} ${shown}: not a URL; expected e.g. ${example}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new UsageError(`${where} ${shown}: expected an http(s) URL, e.g. ${example}`);
  }
  return raw.replace(/\/+$/, "");
}
