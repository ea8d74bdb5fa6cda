import { describe, expect, it } from 'vitest';
import { MaskingLogFormatter } from '../../shared/observability/logger.js';
import { maskDeep, maskText } from '../../shared/privacy/mask.js';
import { project } from '../../shared/privacy/project.js';
import { careerBreakLookup, premiumVerification, PURPOSES } from '../../shared/purposes/catalogue.js';
import { expiresAt, RetentionError, retentionYears } from '../../shared/purposes/retention.js';
import { RetentionRepository } from '../../shared/storage/retention-repository.js';

describe('projection onto an allow-list', () => {
  it('keeps listed leaves, walks arrays, and drops everything else at every depth', () => {
    const onem = {
      niss: '85073003328',
      lastName: 'X',
      counters: [{ reason: 'TRAINING', regime: 'FULL_TIME', remainingMonths: 12, address: 'Rue 1' }],
      closures: [],
    };
    expect(project(onem, careerBreakLookup.sources.onem!)).toEqual({
      niss: '85073003328',
      counters: [{ reason: 'TRAINING', regime: 'FULL_TIME', remainingMonths: 12 }],
      closures: [],
    });
  });

  it('drops a listed object path whose value has the wrong shape', () => {
    expect(project({ a: 5, b: [1] }, ['a.b', 'b[].c'])).toEqual({ b: [undefined] });
    expect(project({ a: { b: 1, c: 2 } }, ['a'])).toEqual({ a: { b: 1, c: 2 } });
  });
});

describe('masking identifiers in logs', () => {
  it('masks NISS and enterprise numbers, plain or punctuated', () => {
    expect(maskText('worker 85073003328 at 0403170701')).toBe('worker *********28 at ********01');
    expect(maskText('85.07.30-033.28 / 0403.170.701')).toBe('*********28 / ********01');
    expect(maskText('2024-10-01T10:00:00.000Z took 1234 ms')).toBe('2024-10-01T10:00:00.000Z took 1234 ms');
  });

  it('masks keys and values at every depth, and error messages', () => {
    expect(maskDeep({ claim: { workerNiss: '85073003328', list: ['0403170701'] }, error: new Error('no 85073003328') })).toEqual({
      claim: { workerNiss: '*********28', list: ['********01'] },
      error: { name: 'Error', message: 'no *********28' },
    });
  });

  it('the logger formatter emits no identifier in clear', () => {
    const item = new MaskingLogFormatter().formatAttributes(
      { logLevel: 'INFO', message: 'claim for 85073003328', timestamp: new Date(), serviceName: 's', sampleRateValue: 0, xRayTraceId: undefined } as never,
      { employer: '0403170701', nested: { niss: '78021511718' } },
    );
    const line = JSON.stringify(item.getAttributes());
    expect(line).not.toMatch(/85073003328|0403170701|78021511718/);
    expect(line).toContain('*********28');
  });
});

describe('retention from the purpose declarations', () => {
  it('computes calendar years from the start of the retention', () => {
    const from = new Date('2025-03-31T12:00:00Z');
    const tenYears = Date.parse('2035-03-31T12:00:00Z') / 1000;
    expect(expiresAt(premiumVerification, from, {})).toBe(tenYears);
  });

  it('lets the environment shorten a configurable retention, never lengthen it', () => {
    expect(retentionYears(premiumVerification.retention, { PREMIUM_CHECK_RETENTION_YEARS: '7' })).toBe(7);
    expect(() => retentionYears(premiumVerification.retention, { PREMIUM_CHECK_RETENTION_YEARS: '11' })).toThrow(RetentionError);
    expect(() => retentionYears(premiumVerification.retention, { PREMIUM_CHECK_RETENTION_YEARS: 'forever' })).toThrow(RetentionError);
  });

  it('gives the career-break purpose no repository at all', () => {
    expect(() => new RetentionRepository({} as never, 'any-table', careerBreakLookup)).toThrow(/may not store anything/);
  });

  it('every purpose that stores keeps at most 10 years and names its source', () => {
    for (const purpose of PURPOSES) {
      expect(purpose.retention.source, purpose.id).toMatch(/\d{2}\/\d{3}|decided/);
      if (purpose.retention.kind === 'period') expect(purpose.retention.years, purpose.id).toBeLessThanOrEqual(10);
    }
  });
});
