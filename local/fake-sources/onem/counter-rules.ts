import type { RuleTable } from '../../../shared/domain/effective-dated.js';
import type { Regime } from '../../../shared/domain/career-break/codes.js';

/**
 * The figures the ONEM emulator counts with, each with the period it is in force and
 * its source (docs/career-break.md A.1 to A.5). ONEM computes the real counters;
 * this table only lets the local emulator answer like it.
 */
const WERK = 'werk.belgie.be, time credit with a motive (A1.1, A1.2)';

export const COUNTER_RULES = {
  /** Care motives and training together, in calendar months whatever the regime. */
  timeCreditPoolMonths: [{ from: '2017-04-01', value: 51, source: `CCT 103ter; ${WERK}` }],
  timeCreditTrainingMonths: [{ from: '2017-04-01', value: 36, source: `CCT 103ter; ${WERK}: 36 months inside the 51` }],
  timeCreditSeniorityMonths: [{ from: '2017-04-01', value: 24, source: 'ONEM FAQ, conditions of time credit with a motive (A4.1)' }],
  /** A past career break or time credit without a motive: its first FTE months are not charged (A5.1). */
  timeCreditUnchargedWithoutMotiveMonths: [{ from: '2017-04-01', value: 12, source: 'ONEM décompte page (A5.1)' }],
  childUnder8AgeLimit: [{ from: '2017-04-01', value: 8, source: 'CCT 103 art. 4: child under 8 (A.1 table)' }],
  disabledChildAgeLimit: [{ from: '2017-04-01', value: 21, source: 'CCT 103 art. 4: disabled child under 21 (A.1 table)' }],
  parentalLeaveFullTimeMonthsPerChild: [{ from: '2012-03-08', value: 4, source: 'ONEM FAQ parental leave (A.2): 4 months per child, per parent' }],
  parentalLeaveChildAgeLimit: [{ from: '2012-03-08', value: 12, source: 'ONEM FAQ parental leave (A.2): child under 12' }],
  parentalLeaveDisabledChildAgeLimit: [{ from: '2012-03-08', value: 21, source: 'ONEM FAQ parental leave (A.2): under 21 if disabled' }],
  parentalLeaveSeniorityMonths: [{ from: '2012-03-08', value: 12, source: 'ONEM FAQ parental leave (A.2): 12 months under contract within 15' }],
  /** 1 month full time = 2 half time = 5 at 1/5 = 10 at 1/10. */
  parentalLeaveRegimeFactors: <RuleTable<Partial<Record<Regime, number>>>>[
    { from: '2012-03-08', to: '2019-05-31', value: { FULL_TIME: 1, HALF_TIME: 2, ONE_FIFTH: 5 }, source: 'Securex, forms of parental leave (A2.1)' },
    {
      from: '2019-06-01',
      value: { FULL_TIME: 1, HALF_TIME: 2, ONE_FIFTH: 5, ONE_TENTH: 10 },
      source: 'Securex, forms of parental leave (A2.1): 1/10 since 1 June 2019',
    },
  ],
  medicalAssistanceFullTimeMonthsPerPatient: [
    { from: '2017-01-01', value: 12, source: 'RVA/belgium.be medical assistance (A.2): 12 months full time per patient' },
  ],
  /** 1 month full time = 2 months partial (half time or 1/5). */
  medicalAssistancePartialFactor: [{ from: '2017-01-01', value: 2, source: 'BOSA career break (A2.2): 1 FT = 2 partial; 24 months partial' }],
  palliativeMonthsPerPatient: [
    { from: '2012-01-01', to: '2017-01-31', value: 2, source: 'older socialsecurity.be pages (A.2)' },
    { from: '2017-02-01', value: 3, source: 'Partena, BOSA (A.2): 3 months per patient since 1 Feb 2017' },
  ],
  informalCarerFullTimeMonthsPerPerson: [
    { from: '2020-09-01', to: '2021-08-31', value: 1, source: 'RVA T164 (A.2): 1 month per person until 31 Aug 2021' },
    { from: '2021-09-01', value: 3, source: 'RVA T164 (A.2), Horval 30 Aug 2021: 3 months per person' },
  ],
  informalCarerFullTimeMonthsCareer: [{ from: '2020-09-01', value: 6, source: 'RVA T164 (A.2): career maximum 6 months full time or 12 partial' }],
  informalCarerPartialFactor: [{ from: '2020-09-01', value: 2, source: 'RVA T164 (A5.5): 1 FT = 2 partial' }],
  publicCareerBreakFullTimeMonths: [{ from: '2012-01-01', value: 60, source: 'socialsecurity.be, fedweb (A3.1): 60 months full' }],
  publicCareerBreakPartialMonths: [
    {
      from: '2012-01-01',
      value: 60,
      source:
        'socialsecurity.be, fedweb; BOSA, "interruption partielle de la carrière" (A3.1): 60 months partial over the career, in months whatever the fraction',
    },
  ],
} satisfies Record<string, RuleTable<unknown>>;
