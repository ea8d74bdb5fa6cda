import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError, loadDataset, parseDataset } from '../../local/fake-sources/dataset.js';

const minimal = () => ({
  persons: [{ niss: '85073003328', birthDate: '1985-07-30' }],
  careers: [],
  careerBreakHistories: [],
  employments: [],
  dmfaWorkerLines: [],
  dmfaEmployerAggregates: [],
  referenceDirectory: [],
  trainings: [],
});

describe('sources dataset', () => {
  it('loads the bundled synthetic dataset', async () => {
    const dataset = await loadDataset();
    expect(dataset.persons.length).toBeGreaterThan(0);
    expect(dataset.referenceDirectory.some((e) => e.qualityCode === '001')).toBe(true);
  });

  it('names the bad entry and what was expected', () => {
    const raw = minimal();
    raw.persons.push({ niss: '85073003329', birthDate: '1985-07-30' });
    expect(() => parseDataset(raw, 'my.json')).toThrowError(/my\.json[\s\S]*persons\[1\]\.niss: expected a valid NISS/);
  });

  it('refuses fields it does not know, so a typo cannot be silently ignored', () => {
    const raw = { ...minimal(), persons: [{ niss: '85073003328', birthDate: '1985-07-30', birthdate: 'x' }] };
    expect(() => parseDataset(raw)).toThrowError(/persons\[0\]/);
  });

  it('refuses a missing collection', () => {
    const { trainings: _, ...raw } = minimal();
    expect(() => parseDataset(raw)).toThrowError(/trainings/);
  });

  it('refuses a file that is not JSON, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dataset-'));
    const file = join(dir, 'broken.json');
    await writeFile(file, '{ "persons": [');
    await expect(loadDataset(file)).rejects.toThrowError(DatasetError);
    await expect(loadDataset(file)).rejects.toThrowError(/broken\.json is not JSON/);
  });
});
