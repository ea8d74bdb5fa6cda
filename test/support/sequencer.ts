import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { runsAlone } from './cloud-lock-rule.js';

/**
 * The order the files of all projects start in (vitest's own keeps each project's files
 * together, so the unit files waited for the end). First the files that run alone on their
 * cloud (test/support/cloud-lock.ts), the longest first: a cloud's exclusive files then run one
 * after the other at the start, while the other clouds' files and the unit files fill the other
 * workers, instead of each one waiting, later, for every shared file of its cloud to end. Then
 * every other file, the longest first (as the last run measured it; an unmeasured one first).
 */
export default class CloudSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const duration = (spec: TestSpecification) => this.ctx.cache.getTestSpecificationResult(spec)?.duration ?? Number.POSITIVE_INFINITY;
    const alone = (spec: TestSpecification) =>
      spec.project.config.setupFiles.some((f) => f.endsWith('cloud-lock-setup.ts')) && runsAlone(readFileSync(spec.moduleId, 'utf8'));
    const longestFirst = (a: TestSpecification, b: TestSpecification) => duration(b) - duration(a);
    return [...sorted.filter(alone).sort(longestFirst), ...sorted.filter((spec) => !alone(spec)).sort(longestFirst)];
  }
}
