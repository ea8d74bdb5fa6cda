import { afterEach, describe, expect, it, vi } from 'vitest';
import { trainingLeaveReimbursement } from '../../shared/purposes/catalogue.js';
import type { HttpSourceClient, SourceResponse } from '../../shared/sources/http-source.js';
import { PurposeSources } from '../../shared/sources/purpose-sources.js';
import { fetchTraining, TRAINING_DEFINITION_MAX_AGE_MS } from '../../shared/sources/training-leave.js';

// The training's definition (about no person) is read once for the claims that name it, for a
// short while; the worker's attendance is read for every claim.
const NISS = '85073003328';
const definition = (id: string) => ({ id, title: `Training ${id}`, recognisedFrom: '2020-09-01', contactHours: id === 'ODB-1' ? 200 : 80 });

const scripted = () => {
  const asked: string[] = [];
  const answers = new Map<string, () => Promise<SourceResponse<unknown>>>();
  const client = {
    getJson: async (path: string, query: Record<string, string> = {}) => {
      const url = `${path}${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`;
      asked.push(url);
      const answer = answers.get(path);
      if (answer) return answer();
      if (path === '/attendance') return { status: 200, body: { items: [{ niss: query.niss, hoursAttended: 12, trainingId: query.trainingId }] } };
      const id = path.startsWith('/trainings/') ? decodeURIComponent(path.slice('/trainings/'.length)) : undefined;
      return id?.startsWith('ODB-') ? { status: 200, body: definition(id) } : { status: 404, body: undefined };
    },
  } as unknown as HttpSourceClient;
  const sources = new PurposeSources(trainingLeaveReimbursement, new Proxy({}, { get: () => client }) as never);
  return { sources, asked, answers };
};

afterEach(() => {
  vi.useRealTimers();
});

describe('a training’s definition, shared by the claims that name it', () => {
  it('is asked once for concurrent and later claims of the container, the attendance every time', async () => {
    const { sources, asked } = scripted();
    const [a, b] = await Promise.all([fetchTraining(sources.recording(), 'ODB-1', NISS), fetchTraining(sources.recording(), 'ODB-1', '84050550577')]);
    const c = await fetchTraining(sources.recording(), 'ODB-1', NISS);
    expect(asked.filter((p) => p.startsWith('/trainings/'))).toEqual(['/trainings/ODB-1']);
    expect(asked.filter((p) => p.startsWith('/attendance'))).toHaveLength(3);
    expect(a).toEqual({ recognisedFrom: '2020-09-01', contactHours: 200, attendance: [{ niss: NISS, hoursAttended: 12 }] });
    // Each claim gets its own worker's attendance, never another's.
    expect(b?.attendance).toEqual([{ niss: '84050550577', hoursAttended: 12 }]);
    expect(c).toEqual(a);
  });

  it('never serves another training: each definition is kept under its own id', async () => {
    const { sources, asked } = scripted();
    const one = await fetchTraining(sources, 'ODB-1', NISS);
    const two = await fetchTraining(sources, 'ODB-2', NISS);
    expect([one?.contactHours, two?.contactHours]).toEqual([200, 80]);
    expect(await fetchTraining(sources, 'ODB-1', NISS)).toEqual(one);
    expect(asked.filter((p) => p.startsWith('/trainings/'))).toEqual(['/trainings/ODB-1', '/trainings/ODB-2']);
  });

  it('is asked again once it is older than its maximum age, and is not kept by other sources objects (another container)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { sources, asked } = scripted();
    await fetchTraining(sources, 'ODB-1', NISS);
    vi.setSystemTime(Date.now() + TRAINING_DEFINITION_MAX_AGE_MS - 1);
    await fetchTraining(sources, 'ODB-1', NISS);
    vi.setSystemTime(Date.now() + 2);
    await fetchTraining(sources, 'ODB-1', NISS);
    expect(asked.filter((p) => p.startsWith('/trainings/'))).toHaveLength(2);
    const other = scripted();
    await fetchTraining(other.sources, 'ODB-1', NISS);
    expect(other.asked.filter((p) => p.startsWith('/trainings/'))).toHaveLength(1);
  });

  it('keeps no unknown training and no failure: the next claim asks again', async () => {
    const { sources, asked, answers } = scripted();
    expect(await fetchTraining(sources, 'X-UNKNOWN', NISS)).toBeUndefined();
    expect(await fetchTraining(sources, 'X-UNKNOWN', NISS)).toBeUndefined();
    answers.set('/trainings/ODB-1', () => Promise.reject(new Error('training database down')));
    await expect(fetchTraining(sources, 'ODB-1', NISS)).rejects.toThrow('training database down');
    answers.delete('/trainings/ODB-1');
    expect((await fetchTraining(sources, 'ODB-1', NISS))?.contactHours).toBe(200);
    expect(asked.filter((p) => p.startsWith('/trainings/'))).toEqual(['/trainings/X-UNKNOWN', '/trainings/X-UNKNOWN', '/trainings/ODB-1', '/trainings/ODB-1']);
  });

  it('still names the source in the record of a claim served from the cache', async () => {
    const { sources } = scripted();
    await sources.getShared('trainingDatabase', '/trainings/ODB-1', 60_000);
    const record = sources.recording();
    await record.getShared('trainingDatabase', '/trainings/ODB-1', 60_000);
    expect([...record.read]).toEqual(['trainingDatabase']);
  });

  it('gives a field the purpose does not declare to no one, cached or not', async () => {
    const { sources } = scripted();
    const first = await sources.getShared('trainingDatabase', '/trainings/ODB-1', 60_000);
    const again = await sources.getShared('trainingDatabase', '/trainings/ODB-1', 60_000);
    for (const answer of [first, again]) expect(Object.keys(answer.body as object).sort()).not.toContain('title');
  });
});
