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
export class PurposeSources {
  private readonly projections: Partial<Record<SourceName, (value: unknown) => unknown>>;

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
}
