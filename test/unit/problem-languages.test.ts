import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../shared/domain/i18n/language.js';
import { httpHandler, type HttpEvent } from '../../shared/http/http-handler.js';
import { problemLanguage, problemResponse } from '../../shared/http/problem.js';
import { PROBLEM_CODES, PROBLEM_TEXTS, PROBLEM_TITLES, problemText, problems } from '../../shared/http/problems.js';
import { eventFile, lambdaContext } from '../support/lambda.js';

/** Parameters that fit every problem's text: each reads only its own. */
const ANY_PARAMS = new Proxy(
  {},
  { get: (_, key) => (key === 'more' || key === 'maxBytes' ? 2 : key === 'operation' || key === 'byKey' ? true : 'x') },
) as never;

describe('problems in the reader’s language', () => {
  it('every problem code has its title and detail in nl, fr, de and en, each its own', () => {
    expect(Object.keys(PROBLEM_TEXTS).sort()).toEqual(Object.keys(PROBLEM_CODES).sort());
    for (const code of Object.keys(PROBLEM_CODES) as (keyof typeof PROBLEM_CODES)[]) {
      const texts = PROBLEM_TEXTS[code] as Record<string, unknown>;
      const title = PROBLEM_TITLES[PROBLEM_CODES[code]] as Record<string, string>;
      for (const language of LANGUAGES) {
        expect(texts[language], `${code} has no ${language} detail`).toBeDefined();
        expect(title[language], `${code} (${PROBLEM_CODES[code]}) has no ${language} title`).toBeTruthy();
        expect(problemText(code, ANY_PARAMS, language).detail.length, `${code} ${language}`).toBeGreaterThan(10);
      }
      // Written, not copied: the four details differ (a fallback would repeat one).
      expect(new Set(LANGUAGES.map((l) => problemText(code, ANY_PARAMS, l).detail)).size, code).toBe(4);
    }
  });

  it('answers in the language asked, says which in Content-Language, and keeps the English for the logs', () => {
    const problem = problems.payloadTooLarge(16384);
    expect(problem.detail).toBe('The request body is larger than 16384 bytes; no request of this route needs more.');
    const response = problemResponse(problem, 'r-1', 'nl');
    expect(response.headers).toMatchObject({ 'content-type': 'application/problem+json', 'content-language': 'nl' });
    expect(JSON.parse(response.body!)).toMatchObject({
      title: 'Inhoud te groot',
      detail: 'De inhoud van de aanvraag is groter dan 16384 bytes; geen aanvraag van deze route heeft meer nodig.',
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('a validation problem says its sentence in the language; the fields’ messages stay as the schema gives them', () => {
    const problem = problems.validationFailed([{ path: 'body.month', message: 'expected a month YYYY-MM' }]);
    const body = JSON.parse(problemResponse(problem, undefined, 'fr').body!);
    expect(body).toMatchObject({ title: 'Requête incorrecte', detail: 'La requête n’est pas valide : body.month: expected a month YYYY-MM.' });
    expect(body.errors).toEqual([{ path: 'body.month', message: 'expected a month YYYY-MM' }]);
  });

  it('chooses Accept-Language among the four, else the route’s default, else English', () => {
    expect(problemLanguage('de-BE,de;q=0.9', 'fr')).toBe('de');
    expect(problemLanguage('es, nl;q=0.5', 'fr')).toBe('nl');
    expect(problemLanguage('es', 'fr')).toBe('fr');
    expect(problemLanguage(undefined, 'fr')).toBe('fr');
    expect(problemLanguage('*', 'fr')).toBe('fr');
    expect(problemLanguage(undefined)).toBe('en');
    expect(problemLanguage('es', 'pt')).toBe('en');
  });

  it('the error handler says a route’s problems in the reader’s language', async () => {
    const handler = httpHandler(async () => {
      throw problems.unauthorized('missing', 'an Authorization: Bearer <token> header is required');
    });
    const event = await eventFile<HttpEvent>('health.json');
    const nl = await handler({ ...event, headers: { ...event.headers, 'Accept-Language': 'nl-BE' } }, lambdaContext());
    expect(nl.headers?.['content-language']).toBe('nl');
    expect(JSON.parse(nl.body!)).toMatchObject({
      code: 'TOKEN_MISSING',
      title: 'Niet aangemeld',
      detail: 'Een header Authorization: Bearer <token> is vereist.',
    });
    // The header keeps the verifier's English for clients that read it.
    expect(nl.headers?.['www-authenticate']).toContain('header is required');
    const none = await handler(event, lambdaContext());
    expect([none.headers?.['content-language'], JSON.parse(none.body!).title]).toEqual(['en', 'Unauthorized']);
  });
});
