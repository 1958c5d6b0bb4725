/**
 * Reading records keyed by names from outside (link types from live or from the state):
 * only the record's own entries count, so `__proto__`, `constructor` or `toString` is a
 * type like any other and never a property of Object.prototype.
 */
export function own<T>(
  record: Readonly<Record<string, T>> | undefined,
  key: string,
): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
