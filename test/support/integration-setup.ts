import type { TestProject } from 'vitest/node';
import { setupCloud } from './start-cloud.js';

export default (project: TestProject) => setupCloud(project, false);
