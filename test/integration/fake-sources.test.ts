import { afterEach, describe, expect, it } from 'vitest';
import { HttpSourceClient } from '../../shared/sources/http-source.js';
import { SourceContractError, SourceUnavailableError } from '../../shared/sources/source-errors.js';
import { createSourceClients } from '../../shared/sources/source-clients.js';
import { PurposeSources, SourceNotAllowedError } from '../../shared/sources/purpose-sources.js';
import { checkPremium } from '../../shared/purposes/catalogue.js';
import { isExternalTarget, targetValue } from '../support/target.js';
import { setFault } from '../support/fake-sources.js';

const base = () => targetValue('SOURCES_BASE_URL');

describe.skipIf(isExternalTarget())('fake external sources over HTTP', () => {
  afterEach(async () => {
    await setFault('dmfa', 'ok');
    await setFault('reference-directory', 'ok');
  });

  it('a purpose sees only the fields it declares, even when the source sends more', async () => {
    await setFault('reference-directory', 'extra-fields');
    const raw = await createSourceClients(base()).referenceDirectory.getJson('/registrations/91011715490');
    expect(raw.body).toMatchObject({ lastName: expect.any(String), address: expect.any(Object), nationality: 'BE' });
    const sources = new PurposeSources(checkPremium.purpose, createSourceClients(base()));
    expect((await sources.get('referenceDirectory', '/registrations/91011715490')).body).toEqual({
      niss: '91011715490',
      registeredBy: 'ACTIRIS',
      qualityCode: '001',
    });
  });

  it('a purpose may not call a source its declaration does not list', async () => {
    const sources = new PurposeSources(checkPremium.purpose, createSourceClients(base()));
    await expect(sources.get('onem', '/health')).rejects.toBeInstanceOf(SourceNotAllowedError);
  });

  it('answers every source health check through the adapters', async () => {
    for (const client of Object.values(createSourceClients(base()))) {
      expect((await client.getJson('/health')).status, client.name).toBe(200);
    }
  });

  it('serves one record by key and 404 for an unknown one', async () => {
    const { referenceDirectory } = createSourceClients(base());
    expect((await referenceDirectory.getJson('/registrations/91011715490')).body).toEqual({
      niss: '91011715490',
      registeredBy: 'ACTIRIS',
      qualityCode: '001',
    });
    expect((await referenceDirectory.getJson('/registrations/85073003328')).status).toBe(404);
  });

  it('filters collections by query and refuses unknown filters', async () => {
    const { dmfa } = createSourceClients(base());
    const { body } = await dmfa.getJson<{ items: { quarter: string }[] }>('/employer-aggregates', {
      employerEnterpriseNumber: '0403170701',
      quarter: '2022-Q1',
    });
    expect(body?.items).toEqual([{ employerEnterpriseNumber: '0403170701', quarter: '2022-Q1', regularFte: '9.50' }]);
    await expect(dmfa.getJson('/employer-aggregates', { salary: '1' })).rejects.toBeInstanceOf(SourceContractError);
  });

  it('turns an injected outage into SourceUnavailableError after the retry', async () => {
    await setFault('dmfa', 'down');
    const dmfa = new HttpSourceClient({ name: 'dmfa', baseUrl: `${base()}/dmfa`, retries: 1, retryDelayMs: 1 });
    await expect(dmfa.getJson('/health')).rejects.toMatchObject({ name: 'SourceUnavailableError', reason: 'status' });
  });

  it('times out a slow source instead of hanging', async () => {
    await setFault('dmfa', 'slow', 2_000);
    const dmfa = new HttpSourceClient({ name: 'dmfa', baseUrl: `${base()}/dmfa`, timeoutMs: 100 });
    const error = await dmfa.getJson('/health').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect(error).toMatchObject({ reason: 'timeout' });
  });

  it('reports a body that is not JSON as a contract error', async () => {
    await setFault('dmfa', 'garbage');
    await expect(createSourceClients(base()).dmfa.getJson('/health')).rejects.toBeInstanceOf(SourceContractError);
  });
});
