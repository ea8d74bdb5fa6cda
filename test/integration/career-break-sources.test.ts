import { afterEach, describe, expect, it } from 'vitest';
import { careerBreakPossibilities } from '../../shared/purposes/catalogue.js';
import { fetchCareer } from '../../shared/sources/career.js';
import { HttpSourceClient } from '../../shared/sources/http-source.js';
import { fetchOnemCounters } from '../../shared/sources/onem.js';
import { PurposeSources } from '../../shared/sources/purpose-sources.js';
import { SOURCES } from '../../shared/sources/catalogue.js';
import { createSourceClients } from '../../shared/sources/source-clients.js';
import { SourceContractError, SourceUnavailableError } from '../../shared/sources/source-errors.js';
import { isExternalTarget, targetValue } from '../support/target.js';
import { setFault, sourceHits } from '../support/fake-sources.js';

// The career and ONEM adapters against the local emulators, through their normal HTTP code.
const base = () => targetValue('SOURCES_BASE_URL');
const sources = (clients = createSourceClients(base())) => new PurposeSources(careerBreakPossibilities.purpose, clients);

describe('career adapter', () => {
  it('reads the birth date and sectors of a known person', async () => {
    expect(await fetchCareer(sources(), '78021511718')).toEqual({
      birthDate: '1978-02-15',
      periods: [{ sector: 'PUBLIC', from: '2001-03-01' }],
    });
  });

  it('answers undefined for a person the career source does not know', async () => {
    expect(await fetchCareer(sources(), '88041212335')).toBeUndefined();
  });
});

describe('ONEM adapter against the ONEM emulator', () => {
  afterEach(async () => {
    if (!isExternalTarget()) await setFault('onem', 'ok');
  });

  it('gets counters that match the contract: 18 months of 1/5 time credit leave 33 of the 51', async () => {
    const onem = await fetchOnemCounters(sources(), '85073003328');
    expect(onem?.employerEnterpriseNumber).toBe('0403170701');
    const care = onem!.counters.filter((c) => c.reason === 'SERIOUSLY_ILL_RELATIVE');
    expect(care).toEqual([
      { reason: 'SERIOUSLY_ILL_RELATIVE', regime: 'FULL_TIME', remainingMonths: 33 },
      { reason: 'SERIOUSLY_ILL_RELATIVE', regime: 'HALF_TIME', remainingMonths: 33 },
      { reason: 'SERIOUSLY_ILL_RELATIVE', regime: 'ONE_FIFTH', remainingMonths: 33 },
    ]);
  });

  it('reports the closures of a used-up pool', async () => {
    const onem = await fetchOnemCounters(sources(), '91011715490');
    expect(
      onem!.closures
        .filter((c) => c.code === 'POOL_EXHAUSTED')
        .map((c) => c.reason)
        .sort(),
    ).toEqual(
      ['CHILD_UNDER_8', 'DISABLED_CHILD_UNDER_21', 'SERIOUSLY_ILL_MINOR_CHILD', 'SERIOUSLY_ILL_RELATIVE', 'PALLIATIVE_CARE_TIME_CREDIT', 'TRAINING'].sort(),
    );
    // The thematic palliative leave is a right of its own: the used-up pool leaves it open.
    expect(onem!.closures.filter((c) => c.reason === 'PALLIATIVE_CARE')).toEqual([]);
  });

  it.skipIf(isExternalTarget())('drops fields ONEM adds beyond the deliberation before validating', async () => {
    await setFault('onem', 'extra-fields');
    const onem = await fetchOnemCounters(sources(), '85073003328');
    expect(JSON.stringify(onem)).not.toMatch(/lastName|address|nationality|phone/);
  });

  it.skipIf(isExternalTarget())('turns a slow ONEM into SourceUnavailableError after its time-out, without a retry', async () => {
    await setFault('onem', 'slow', 1_500);
    const onem = new HttpSourceClient({ name: 'onem', baseUrl: `${base()}/onem`, ...SOURCES.onem.policy, timeoutMs: 200, breaker: undefined });
    const before = await sourceHits('onem');
    const error = await fetchOnemCounters(sources({ ...createSourceClients(base()), onem }), '85073003328').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SourceUnavailableError', reason: 'timeout' });
    // One attempt only: a time-out is not retried (ONEM may still be working on it).
    expect((await sourceHits('onem')) - before).toBe(1);
  });

  it.skipIf(isExternalTarget())('does not retry a failing ONEM, and opens the circuit after repeated failures', async () => {
    await setFault('onem', 'down');
    const onem = new HttpSourceClient({
      name: 'onem',
      baseUrl: `${base()}/onem`,
      ...SOURCES.onem.policy,
      breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 },
    });
    const client = sources({ ...createSourceClients(base()), onem });
    const before = await sourceHits('onem');
    for (let i = 0; i < 2; i++) {
      await expect(fetchOnemCounters(client, '85073003328')).rejects.toMatchObject({ name: 'SourceUnavailableError', reason: 'status' });
    }
    expect(onem.circuitOpen).toBe(true);
    // Two calls, two requests: a 503 is not retried (only a failed connection is).
    expect((await sourceHits('onem')) - before).toBe(2);
    await setFault('onem', 'ok');
    // Open: fails at once, without reaching ONEM, and says when to come back.
    const error = (await fetchOnemCounters(client, '85073003328').catch((e: unknown) => e)) as SourceUnavailableError;
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect(error).toMatchObject({ reason: 'circuit-open', retryAfterSeconds: 60 });
    expect((await sourceHits('onem')) - before).toBe(2);
  });

  it.skipIf(isExternalTarget())('refuses an answer that is not JSON as a contract error', async () => {
    await setFault('onem', 'garbage');
    await expect(fetchOnemCounters(sources(), '85073003328')).rejects.toBeInstanceOf(SourceContractError);
  });
});
