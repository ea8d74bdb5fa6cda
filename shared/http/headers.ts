/** The key under which `headers` holds `name`, whatever its case (HTTP field names are case-insensitive). */
export const headerKey = (headers: Record<string, unknown> | undefined, name: string): string | undefined => {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  return Object.keys(headers).find((key) => key.toLowerCase() === lower);
};
