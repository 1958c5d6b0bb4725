/**
 * From a store file's bytes to text: refuses files too large to be a store, binary files
 * and anything that is not UTF-8, with the position of the first bad byte when there is one.
 */
import { MAX_FILE_BYTES } from "./limits.js";
import type { StoreIssue } from "./issues.js";

const decoder = new TextDecoder("utf-8", { fatal: true });

export function kibibytes(bytes: number): string {
  return `${Math.ceil(bytes / 1024).toLocaleString("en-US")} KiB`;
}

export function tooLargeIssue(file: string, size: number): StoreIssue {
  return {
    file,
    severity: "error",
    message: `the file is ${kibibytes(size)}, over the ${kibibytes(MAX_FILE_BYTES)} limit for a store file; a store file holds one store, check that this is the right file`,
  };
}

/**
 * The text of a store file, or the issue that makes it unreadable. Buffer's decoder is the
 * fastest, but replaces bad bytes with U+FFFD: the strict path runs only when one of those
 * (or a NUL) is in the result.
 */
export function decodeStoreBytes(
  bytes: Buffer,
  file: string,
): { text: string } | { issue: StoreIssue } {
  const text = bytes.toString("utf8");
  if (!text.includes("\uFFFD") && !text.includes("\0")) return { text };
  return decodeStrictly(bytes, file);
}

/** Like decodeStoreBytes, with the position of the first bad byte. A UTF-8 BOM is dropped. */
export function decodeStrictly(
  bytes: Uint8Array,
  file: string,
): { text: string } | { issue: StoreIssue } {
  if (bytes.length > MAX_FILE_BYTES) return { issue: tooLargeIssue(file, bytes.length) };
  const fail = (message: string, position: { line: number; column: number } | undefined) => ({
    issue: { file, severity: "error" as const, message, ...position },
  });
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return fail("the file is UTF-16 text; save it as UTF-8", undefined);
  }
  const utf16 = utf16WithoutBom(bytes);
  if (utf16 !== undefined) {
    return fail(
      `the file is UTF-16 text (${utf16}, without a byte order mark); save it as UTF-8`,
      undefined,
    );
  }
  if (bytes.includes(0)) {
    return fail(
      "the file contains NUL bytes, so it is binary, not YAML text; store files are UTF-8 YAML",
      undefined,
    );
  }
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    return fail(
      `the file is not UTF-8 text (byte 0x${bytes[offset]?.toString(16).toUpperCase().padStart(2, "0")} here); save it as UTF-8`,
      bytePosition(bytes, offset),
    );
  }
}

/**
 * "little-endian" or "big-endian" when the bytes look like UTF-16 text with no byte order mark
 * (as some Windows tools save): YAML is mostly ASCII, so nearly every other byte is NUL, at
 * odd offsets (little-endian) or even ones (big-endian), and the text decodes as UTF-16.
 */
function utf16WithoutBom(bytes: Uint8Array): "little-endian" | "big-endian" | undefined {
  const pairs = Math.min(bytes.length >> 1, 512);
  if (pairs < 2) return undefined;
  let low = 0;
  let high = 0;
  for (let i = 0; i < pairs; i++) {
    const even = bytes[2 * i]!;
    const odd = bytes[2 * i + 1]!;
    if (odd === 0 && even !== 0) low++;
    else if (even === 0 && odd !== 0) high++;
  }
  const order =
    low >= pairs * 0.6 ? "little-endian" : high >= pairs * 0.6 ? "big-endian" : undefined;
  if (order === undefined || bytes.length % 2 !== 0) return undefined;
  try {
    new TextDecoder(order === "little-endian" ? "utf-16le" : "utf-16be", { fatal: true }).decode(
      bytes,
    );
  } catch {
    return undefined;
  }
  return order;
}

/** Line and column (in characters) of a byte offset, counting only the valid text before it. */
function bytePosition(bytes: Uint8Array, offset: number): { line: number; column: number } {
  const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
  const before = new TextDecoder("utf-8").decode(bytes.subarray(lineStart, offset));
  return { line, column: before.length + 1 };
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    let length: number;
    let min: number;
    if (lead < 0x80) {
      i++;
      continue;
    } else if (lead >= 0xc2 && lead <= 0xdf) [length, min] = [2, 0x80];
    else if (lead >= 0xe0 && lead <= 0xef) [length, min] = [3, 0x800];
    else if (lead >= 0xf0 && lead <= 0xf4) [length, min] = [4, 0x10000];
    else return i;
    if (i + length > bytes.length) return i;
    let codePoint = lead & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k]!;
      if ((next & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
      return i;
    }
    i += length;
  }
  return bytes.length;
}
