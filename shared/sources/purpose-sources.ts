import { projector } from '../privacy/project.js';
import type { Purpose } from '../purposes/purpose.js';
import type { SourceName } from '../purposes/source-names.js';
import type { HttpSourceClient, SourceResponse } from './http-source.js';

export class SourceNotAllowedError extends Error {
  override name = 'SourceNotAllowedError';
}

/**
 * The external sources as one purpose sees them: only the sources its declaration
 * lists, and from each only the declared fields. The projection happens here, on the
 * raw answer, before any adapter or domain code sees it, so a field a source adds
 * (a name, an address…) never enters the function.
 */
/** Reference answers kept at most (a container sees a few trainings at a time). */
const SHARED_ENTRIES = 256;

export class PurposeSources {
  private readonly projections: Partial<Record<SourceName, (value: unknown) => unknown>>;
  /** getShared's answers (projected), by source and path, with when each was asked. */
  private readonly shared = new Map<string, { at: number; answer: Promise<SourceResponse<unknown>> }>();

  constructor(
    private readonly purpose: Pick<Purpose, 'id' | 'sources'>,
    private readonly clients: Record<SourceName, HttpSourceClient>,
  ) {
    this.projections = Object.fromEntries(Object.entries(purpose.sources).map(([name, fields]) => [name, projector(fields ?? [])])) as Partial<
      Record<SourceName, (value: unknown) => unknown>
    >;
  }

  /** The same sources, recording which ones are read (for the audit record of a queue consumer). */
  recording(): PurposeSources & { read: Set<SourceName> } {
    const read = new Set<SourceName>();
    return Object.assign(Object.create(PurposeSources.prototype) as PurposeSources, {
      read,
      allows: (source: SourceName) => this.allows(source),
      get: (source: SourceName, path: string, query: Record<string, string> = {}) => {
        read.add(source);
        return this.get(source, path, query);
      },
      // An answer from the shared cache is still data of that source: the record names it.
      getShared: (source: SourceName, path: string, maxAgeMs: number) => {
        read.add(source);
        return this.getShared(source, path, maxAgeMs);
      },
    });
  }

  allows(source: SourceName): boolean {
    return this.projections[source] !== undefined;
  }

  async get(source: SourceName, path: string, query: Record<string, string> = {}): Promise<SourceResponse<unknown>> {
    const project = this.projections[source];
    if (!project) throw new SourceNotAllowedError(`purpose ${this.purpose.id} may not call ${source}`);
    const response = await this.clients[source].getJson(path, query);
    return response.body === undefined ? response : { status: response.status, body: project(response.body) };
  }

  /**
   * A GET of reference data that is about no person (a training's definition: its dates of
   * recognition, its contact hours), shared for `maxAgeMs` by every caller of these sources
   * (and of their `recording()` views): the records of a batch, and the next batches of the
   * same container, ask the source once, concurrent callers share one request. Only a 200 is
   * kept; a 404 or a failure is asked again by the next caller. Never for a path or a query
   * that names a person: those are asked every time (`get`).
   */
  getShared(source: SourceName, path: string, maxAgeMs: number): Promise<SourceResponse<unknown>> {
    const id = `${source}\u0000${path}`;
    const now = Date.now();
    const kept = this.shared.get(id);
    if (kept && now - kept.at < maxAgeMs) return kept.answer;
    if (kept) this.shared.delete(id);
    const oldest = this.shared.size >= SHARED_ENTRIES ? this.shared.keys().next().value : undefined;
    if (oldest !== undefined) this.shared.delete(oldest);
    const answer = this.get(source, path);
    const entry = { at: now, answer };
    this.shared.set(id, entry);
    const forget = () => {
      if (this.shared.get(id) === entry) this.shared.delete(id);
    };
    answer.then((response) => response.status !== 200 && forget(), forget);
    return answer;
  }
}
