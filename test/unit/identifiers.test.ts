import { describe, expect, it } from 'vitest';
import { birthDateFromNiss, isValidEnterpriseNumber, isValidNiss, maskIdentifier } from '../../shared/domain/identifiers.js';

describe('NISS', () => {
  it('accepts a NISS whose check is 97 - (first nine digits mod 97)', () => {
    // 850730033 mod 97 = 69, 97 - 69 = 28
    expect(isValidNiss('85073003328')).toBe(true);
  });

  it('accepts a NISS born from 2000, whose check is computed on 2 + the first nine digits', () => {
    expect(isValidNiss('10050324536')).toBe(true);
    expect(birthDateFromNiss('10050324536')).toBe('2010-05-03');
  });

  it.each([
    ['85073003329', 'wrong check digits'],
    ['8507300332', 'ten digits'],
    ['850730033280', 'twelve digits'],
    ['85.07.30-033.28', 'punctuation'],
    ['', 'empty'],
  ])('refuses %s (%s)', (value) => {
    expect(isValidNiss(value)).toBe(false);
  });

  it('reads the birth date of a 20th-century NISS', () => {
    expect(birthDateFromNiss('85073003328')).toBe('1985-07-30');
  });

  it('reads the birth date of a BIS number (month + 20 or + 40)', () => {
    const bis = (base: string) => base + String(97 - Number(BigInt(base) % 97n)).padStart(2, '0');
    expect(birthDateFromNiss(bis('852730033'))).toBe('1985-07-30');
    expect(birthDateFromNiss(bis('854730033'))).toBe('1985-07-30');
  });

  it('has no birth date when the number carries none', () => {
    const base = '850000033';
    const niss = base + String(97 - Number(BigInt(base) % 97n)).padStart(2, '0');
    expect(isValidNiss(niss)).toBe(true);
    expect(birthDateFromNiss(niss)).toBeUndefined();
  });
});

describe('enterprise number', () => {
  it('accepts 0403170701 (check 01 on 04031707)', () => {
    expect(isValidEnterpriseNumber('0403170701')).toBe(true);
  });

  it.each(['0403170702', '2403170701', '403170701', 'BE0403170701'])('refuses %s', (value) => {
    expect(isValidEnterpriseNumber(value)).toBe(false);
  });
});

describe('maskIdentifier', () => {
  it('keeps only the last two digits', () => {
    expect(maskIdentifier('85073003328')).toBe('*********28');
    expect(maskIdentifier('0403170701')).toBe('********01');
  });
});
