/**
 * What a store code may be (SPEC §2): the one definition, used for store files, for the codes
 * `import` turns into file names, and mirrored by schemas/store.schema.json (a test keeps the
 * two equal). It is also a file name, hence no "..".
 */

export const STORE_CODE_MAX_LENGTH = 100;

/** The schema's pattern; the length is checked apart (maxLength). */
export const STORE_CODE_PATTERN = "^(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9._-]*$";

const CODE = new RegExp(STORE_CODE_PATTERN);

/** The rule in words, for messages. */
export const STORE_CODE_RULE = `1 to ${STORE_CODE_MAX_LENGTH} characters of A-Z a-z 0-9 . _ -, starting with a letter or digit`;

export function isValidStoreCode(code: string): boolean {
  return code.length <= STORE_CODE_MAX_LENGTH && CODE.test(code);
}
