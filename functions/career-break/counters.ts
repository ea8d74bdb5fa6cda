import { evaluatePreconditions, type PreconditionResult } from '../../shared/domain/career-break/prefilter.js';
import type { OnemCounters } from '../../shared/domain/career-break/present.js';
import { problems } from '../../shared/http/problems.js';
import type { PurposeSources } from '../../shared/sources/purpose-sources.js';
import { fetchCareer } from '../../shared/sources/career.js';
import { fetchOnemCounters } from '../../shared/sources/onem.js';

/**
 * What both career-break routes read (deliberation 24/012): the pre-filter on the career
 * data (§8, §15), then, only if it passes, one call to ONEM. Nothing of either is kept.
 */
export const readCounters = async (
  sources: PurposeSources,
  niss: string,
  today: string,
): Promise<{ preconditions: PreconditionResult; counters?: OnemCounters }> => {
  const preconditions = evaluatePreconditions({ niss, career: await fetchCareer(sources, niss), today });
  if (!preconditions.met) return { preconditions };
  const counters = await fetchOnemCounters(sources, niss);
  if (!counters) throw problems.unknownToOnem();
  return { preconditions, counters };
};
