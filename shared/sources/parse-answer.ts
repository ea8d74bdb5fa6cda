import type * as z from 'zod/mini';
import { SourceContractError } from './source-errors.js';

/** Validates a source's (already minimised) answer; anything off contract is a SourceContractError naming the paths. */
export const parseAnswer = <T>(source: string, schema: z.ZodMiniType<T>, body: unknown): T => {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new SourceContractError(source, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  return parsed.data;
};
