/**
 * A value built on first use and kept for the life of the container: clients, stores and
 * dependencies built from the Lambda environment, so that a missing setting surfaces as a
 * problem response on the first request rather than as a crash at import.
 */
export const once = <T>(build: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= build());
};
