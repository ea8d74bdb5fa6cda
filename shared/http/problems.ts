import type { TokenFailure } from '../auth/verify-token.js';
import { type Language, say, type Texts } from '../domain/i18n/language.js';
import { PROBLEM_CODES, PROBLEM_LIMITS, type ProblemCode } from '../purposes/problem-codes.js';
import { HttpProblem, type ProblemStatus } from './problem.js';

type ForbiddenCode = { [C in ProblemCode]: (typeof PROBLEM_CODES)[C] extends 403 ? C : never }[ProblemCode];

/**
 * The one catalogue of problems the service answers. Each has a stable `code` (its status from
 * shared/purposes/problem-codes.ts), a title that follows from the status, so the same failure
 * always reads the same, and a detail sentence, both in nl, fr, de and en: a problem is said in
 * the reader's language when it is answered (problem.ts `problemResponse`), de included since the
 * citizen pages offer it. The per-field `errors[].message` of a validation problem stay as the
 * schema gives them (English).
 */
type AllLanguages<P = Record<string, never>> = Required<Texts<P>>;
const texts = <P extends Record<string, unknown> = Record<string, never>>(t: AllLanguages<P>): AllLanguages<P> => t;

export const PROBLEM_TITLES: Record<ProblemStatus, AllLanguages> = {
  400: { nl: 'Ongeldige aanvraag', fr: 'Requête incorrecte', de: 'Ungültige Anfrage', en: 'Bad request' },
  401: { nl: 'Niet aangemeld', fr: 'Non authentifié', de: 'Nicht angemeldet', en: 'Unauthorized' },
  403: { nl: 'Niet toegestaan', fr: 'Interdit', de: 'Nicht erlaubt', en: 'Forbidden' },
  404: { nl: 'Niet gevonden', fr: 'Introuvable', de: 'Nicht gefunden', en: 'Not found' },
  406: { nl: 'Niet aanvaardbaar', fr: 'Non acceptable', de: 'Nicht annehmbar', en: 'Not acceptable' },
  409: { nl: 'Conflict', fr: 'Conflit', de: 'Konflikt', en: 'Conflict' },
  413: { nl: 'Inhoud te groot', fr: 'Contenu trop volumineux', de: 'Inhalt zu groß', en: 'Content too large' },
  415: { nl: 'Niet-ondersteund mediatype', fr: 'Type de média non pris en charge', de: 'Nicht unterstützter Medientyp', en: 'Unsupported media type' },
  422: { nl: 'Onverwerkbare inhoud', fr: 'Contenu impossible à traiter', de: 'Nicht verarbeitbarer Inhalt', en: 'Unprocessable content' },
  429: { nl: 'Te veel aanvragen', fr: 'Trop de requêtes', de: 'Zu viele Anfragen', en: 'Too many requests' },
  500: { nl: 'Interne fout', fr: 'Erreur interne', de: 'Interner Fehler', en: 'Internal error' },
  502: { nl: 'Ongeldig antwoord van een bron', fr: 'Réponse invalide d’une source', de: 'Ungültige Antwort einer Quelle', en: 'Bad gateway' },
  503: { nl: 'Dienst niet beschikbaar', fr: 'Service indisponible', de: 'Dienst nicht verfügbar', en: 'Service unavailable' },
};

const LATER = { nl: 'probeer het later opnieuw.', fr: 'réessayez plus tard.', de: 'versuchen Sie es später erneut.', en: 'try again later.' };

/** The detail of every problem code, with the figures it cites. */
export const PROBLEM_TEXTS = {
  VALIDATION_FAILED: texts<{ fields: string; more: number }>({
    nl: (p) => `De aanvraag is niet geldig: ${p.fields}${p.more > 0 ? `; en nog ${p.more}` : ''}.`,
    fr: (p) => `La requête n’est pas valide : ${p.fields}${p.more > 0 ? ` ; et ${p.more} de plus` : ''}.`,
    de: (p) => `Die Anfrage ist ungültig: ${p.fields}${p.more > 0 ? `; und ${p.more} weitere` : ''}.`,
    en: (p) => `The request is not valid: ${p.fields}${p.more > 0 ? `; and ${p.more} more` : ''}.`,
  }),
  INVALID_JSON: texts({
    nl: 'De inhoud van de aanvraag is geen geldige JSON.',
    fr: 'Le corps de la requête n’est pas du JSON valide.',
    de: 'Der Inhalt der Anfrage ist kein gültiges JSON.',
    en: 'The request body is not valid JSON.',
  }),
  DUPLICATE_KEY: texts<{ path: string }>({
    nl: (p) => `De inhoud van de aanvraag noemt ${p.path} twee keer; een veld mag maar één keer voorkomen.`,
    fr: (p) => `Le corps de la requête nomme ${p.path} deux fois ; un champ ne peut figurer qu’une fois.`,
    de: (p) => `Der Inhalt der Anfrage nennt ${p.path} zweimal; ein Feld darf nur einmal vorkommen.`,
    en: (p) => `The request body names ${p.path} twice; a field may appear once.`,
  }),
  TOKEN_MISSING: texts({
    nl: 'Een header Authorization: Bearer <token> is vereist.',
    fr: 'Un en-tête Authorization: Bearer <token> est requis.',
    de: 'Ein Header Authorization: Bearer <token> ist erforderlich.',
    en: 'An Authorization: Bearer <token> header is required.',
  }),
  TOKEN_MALFORMED: texts({
    nl: 'De header Authorization moet "Bearer <JWT>" zijn.',
    fr: 'L’en-tête Authorization doit être « Bearer <JWT> ».',
    de: 'Der Header Authorization muss „Bearer <JWT>“ lauten.',
    en: 'The Authorization header must be "Bearer <JWT>".',
  }),
  TOKEN_INVALID: texts({
    nl: 'Het token kon niet worden geverifieerd (handtekening, uitgever, doelgroep of tijdstip van uitgifte).',
    fr: 'Le jeton n’a pas pu être vérifié (signature, émetteur, audience ou moment d’émission).',
    de: 'Das Token konnte nicht überprüft werden (Signatur, Aussteller, Zielgruppe oder Ausstellungszeitpunkt).',
    en: 'The token could not be verified (signature, issuer, audience or time of issue).',
  }),
  TOKEN_EXPIRED: texts({
    nl: 'Het token is verlopen of ouder dan zijn levensduur; meld u opnieuw aan.',
    fr: 'Le jeton a expiré ou dépasse sa durée de vie ; reconnectez-vous.',
    de: 'Das Token ist abgelaufen oder älter als seine Lebensdauer; melden Sie sich erneut an.',
    en: 'The token has expired or is older than its lifetime; sign in again.',
  }),
  TOKEN_CLAIMS: texts({
    nl: 'Het token zegt niet voor wie het spreekt.',
    fr: 'Le jeton ne dit pas pour qui il parle.',
    de: 'Das Token sagt nicht, für wen es spricht.',
    en: 'The token does not say who it speaks for.',
  }),
  ROLE_NOT_ALLOWED: texts<{ deliberation: string; purpose: string; role: string }>({
    nl: (p) => `Beraadslaging ${p.deliberation} stelt ${p.purpose} niet open voor de rol ${p.role}.`,
    fr: (p) => `La délibération ${p.deliberation} n’ouvre pas ${p.purpose} au rôle ${p.role}.`,
    de: (p) => `Die Beratung ${p.deliberation} öffnet ${p.purpose} nicht für die Rolle ${p.role}.`,
    en: (p) => `Deliberation ${p.deliberation} does not open ${p.purpose} to the role ${p.role}.`,
  }),
  TEAM_NOT_ALLOWED: texts<{ teams: string; purpose: string; deliberation: string }>({
    nl: (p) => `Alleen de teams ${p.teams} mogen ${p.purpose} gebruiken (beraadslaging ${p.deliberation}).`,
    fr: (p) => `Seules les équipes ${p.teams} peuvent utiliser ${p.purpose} (délibération ${p.deliberation}).`,
    de: (p) => `Nur die Teams ${p.teams} dürfen ${p.purpose} nutzen (Beratung ${p.deliberation}).`,
    en: (p) => `Only the teams ${p.teams} may use ${p.purpose} (deliberation ${p.deliberation}).`,
  }),
  NOT_OWN_DATA: texts({
    nl: 'Een burger mag alleen zijn eigen gegevens zien; de betrokkene wordt uit het token gehaald.',
    fr: 'Un citoyen ne peut voir que ses propres données ; la personne concernée est tirée du jeton.',
    de: 'Bürger dürfen nur ihre eigenen Daten sehen; die betroffene Person wird dem Token entnommen.',
    en: 'A citizen may only see their own data; the subject is taken from the token.',
  }),
  NOT_OWN_ENTERPRISE: texts({
    nl: 'Een werkgever mag alleen optreden voor het ondernemingsnummer in zijn token.',
    fr: 'Un employeur ne peut agir que pour le numéro d’entreprise de son jeton.',
    de: 'Ein Arbeitgeber darf nur für die Unternehmensnummer in seinem Token handeln.',
    en: 'An employer may only act for the enterprise number in its token.',
  }),
  NOT_REGISTERED_AS_JOB_SEEKER: texts<{ registeredBy: string; qualityCodes: string; deliberation: string }>({
    nl: (p) =>
      `De DmfA mag alleen worden geraadpleegd voor een persoon die ${p.registeredBy} in het verwijzingsrepertorium van de KSZ heeft ingeschreven met hoedanigheidscode ${p.qualityCodes} (beraadslaging ${p.deliberation}).`,
    fr: (p) =>
      `La DMFA ne peut être consultée que pour une personne inscrite par ${p.registeredBy} au répertoire de références de la BCSS avec le code qualité ${p.qualityCodes} (délibération ${p.deliberation}).`,
    de: (p) =>
      `Die DmfA darf nur für eine Person eingesehen werden, die ${p.registeredBy} im Referenzverzeichnis der ZDSS mit dem Eigenschaftscode ${p.qualityCodes} eingetragen hat (Beratung ${p.deliberation}).`,
    en: (p) =>
      `DMFA may only be consulted for a person ${p.registeredBy} registered in the BCSS reference directory with quality code ${p.qualityCodes} (deliberation ${p.deliberation}).`,
  }),
  NOT_FOUND: texts<{ operation: boolean }>({
    nl: (p) =>
      p.operation ? 'De API heeft geen bewerking voor deze methode en dit pad; de bewerkingen staan in /v1/openapi.json.' : 'Deze resource bestaat niet.',
    fr: (p) =>
      p.operation
        ? 'L’API n’a pas d’opération pour cette méthode et ce chemin ; ses opérations sont listées dans /v1/openapi.json.'
        : 'Cette ressource n’existe pas.',
    de: (p) =>
      p.operation
        ? 'Die API hat keine Operation für diese Methode und diesen Pfad; ihre Operationen stehen in /v1/openapi.json.'
        : 'Diese Ressource gibt es nicht.',
    en: (p) => (p.operation ? 'The API has no operation for this method and path; its operations are listed in /v1/openapi.json.' : 'No such resource.'),
  }),
  UNKNOWN_TO_ONEM: texts({
    nl: 'De RVA heeft geen gegevens over loopbaanonderbreking voor u; neem contact op met de RVA als u denkt dat dat niet klopt.',
    fr: 'L’ONEM ne détient aucun dossier d’interruption de carrière à votre nom ; contactez l’ONEM si vous pensez que ce devrait être le cas.',
    de: 'Das LfA hat keine Angaben zu einer Laufbahnunterbrechung für Sie; wenden Sie sich an das LfA, wenn Sie meinen, dass dies nicht stimmt.',
    en: 'ONEM holds no career-break record for you; contact ONEM if you think it should.',
  }),
  CLAIM_ALREADY_DECIDED: texts({
    nl: 'Over deze aanvraag is beslist; een beslist dossier kan niet worden ingetrokken.',
    fr: 'Cette demande a été décidée ; une demande décidée ne peut pas être retirée.',
    de: 'Über diesen Antrag wurde entschieden; ein entschiedener Antrag kann nicht zurückgezogen werden.',
    en: 'This claim is decided; a decided claim cannot be withdrawn.',
  }),
  CLAIM_WITHDRAWN: texts<{ claimId: string; byKey: boolean }>({
    nl: (p) =>
      p.byKey
        ? `Deze Idempotency-Key verwijst naar aanvraag ${p.claimId}, die de werkgever heeft ingetrokken; stuur ze met een nieuwe Idempotency-Key om ze opnieuw in te dienen.`
        : `Deze inhoud verwijst naar aanvraag ${p.claimId}, die de werkgever heeft ingetrokken; stuur dezelfde aanvraag met een eigen Idempotency-Key om ze opnieuw in te dienen.`,
    fr: (p) =>
      p.byKey
        ? `Cette Idempotency-Key désigne la demande ${p.claimId}, que son employeur a retirée ; pour l’introduire à nouveau, envoyez-la avec une nouvelle Idempotency-Key.`
        : `Ce contenu désigne la demande ${p.claimId}, que son employeur a retirée ; pour introduire la même demande à nouveau, envoyez-la avec une Idempotency-Key à elle.`,
    de: (p) =>
      p.byKey
        ? `Dieser Idempotency-Key bezeichnet den Antrag ${p.claimId}, den sein Arbeitgeber zurückgezogen hat; um ihn erneut einzureichen, senden Sie ihn mit einem neuen Idempotency-Key.`
        : `Dieser Inhalt bezeichnet den Antrag ${p.claimId}, den sein Arbeitgeber zurückgezogen hat; um denselben Antrag erneut einzureichen, senden Sie ihn mit einem eigenen Idempotency-Key.`,
    en: (p) =>
      p.byKey
        ? `This Idempotency-Key names claim ${p.claimId}, which its employer withdrew; to file the claim anew, send it with a new Idempotency-Key.`
        : `This content names claim ${p.claimId}, which its employer withdrew; to file the same claim anew, send it with an Idempotency-Key of its own.`,
  }),
  PAYLOAD_TOO_LARGE: texts<{ maxBytes: number }>({
    nl: (p) => `De inhoud van de aanvraag is groter dan ${p.maxBytes} bytes; geen aanvraag van deze route heeft meer nodig.`,
    fr: (p) => `Le corps de la requête dépasse ${p.maxBytes} octets ; aucune requête de cette route n’en demande plus.`,
    de: (p) => `Der Inhalt der Anfrage ist größer als ${p.maxBytes} Bytes; keine Anfrage dieser Route braucht mehr.`,
    en: (p) => `The request body is larger than ${p.maxBytes} bytes; no request of this route needs more.`,
  }),
  UNSUPPORTED_MEDIA_TYPE: texts({
    nl: 'De inhoud van de aanvraag moet JSON in UTF-8 zijn (Content-Type: application/json).',
    fr: 'Le corps de la requête doit être du JSON en UTF-8 (Content-Type: application/json).',
    de: 'Der Inhalt der Anfrage muss JSON in UTF-8 sein (Content-Type: application/json).',
    en: 'The request body must be JSON in UTF-8 (Content-Type: application/json).',
  }),
  IDEMPOTENCY_KEY_REUSED: texts({
    nl: 'Deze Idempotency-Key werd al gebruikt voor een andere aanvraag; gebruik een nieuwe sleutel voor een nieuwe aanvraag.',
    fr: 'Cette Idempotency-Key a déjà servi pour une autre requête ; utilisez une nouvelle clé pour une nouvelle requête.',
    de: 'Dieser Idempotency-Key wurde schon für eine andere Anfrage verwendet; verwenden Sie für eine neue Anfrage einen neuen Schlüssel.',
    en: 'This Idempotency-Key was already used for a different request; use a new key for a new one.',
  }),
  RATE_LIMITED: texts({
    nl: 'Te veel aanvragen op deze route; probeer opnieuw na de tijd in Retry-After.',
    fr: 'Trop de requêtes sur cette route ; réessayez après le délai indiqué dans Retry-After.',
    de: 'Zu viele Anfragen auf dieser Route; versuchen Sie es nach der Zeit in Retry-After erneut.',
    en: 'Too many requests on this route; try again after the time in Retry-After.',
  }),
  INTERNAL_ERROR: texts({
    nl: 'De aanvraag kon niet worden afgehandeld; ze werd gelogd met haar request-id.',
    fr: 'La requête n’a pas pu aboutir ; elle a été journalisée avec son identifiant de requête.',
    de: 'Die Anfrage konnte nicht abgeschlossen werden; sie wurde mit ihrer Request-ID protokolliert.',
    en: 'The request could not be completed; it has been logged with its request id.',
  }),
  SOURCE_CONTRACT_VIOLATION: texts<{ source: string }>({
    nl: (p) => `De dienst ${p.source} gaf een onverwacht antwoord; ${LATER.nl}`,
    fr: (p) => `Le service ${p.source} a répondu quelque chose d’inattendu ; ${LATER.fr}`,
    de: (p) => `Der Dienst ${p.source} hat unerwartet geantwortet; ${LATER.de}`,
    en: (p) => `The ${p.source} service answered something unexpected; ${LATER.en}`,
  }),
  CLAIM_BUSY: texts({
    nl: 'Er worden andere beslissingen voor deze werknemer geregistreerd; probeer het zo meteen opnieuw.',
    fr: 'D’autres décisions pour ce travailleur sont en cours d’enregistrement ; réessayez dans un instant.',
    de: 'Andere Entscheidungen für diesen Arbeitnehmer werden gerade erfasst; versuchen Sie es gleich erneut.',
    en: 'Other decisions for this worker are being recorded; try again in a moment.',
  }),
  IDENTITY_PROVIDER_UNAVAILABLE: texts({
    nl: `De sleutels om tokens te verifiëren konden niet worden opgehaald; ${LATER.nl}`,
    fr: `Les clés qui vérifient les jetons n’ont pas pu être obtenues ; ${LATER.fr}`,
    de: `Die Schlüssel zur Überprüfung der Token konnten nicht abgerufen werden; ${LATER.de}`,
    en: `The keys that verify tokens could not be fetched; ${LATER.en}`,
  }),
  PSEUDONYMISATION_UNAVAILABLE: texts({
    nl: `De betrokkene van de aanvraag kon niet worden gepseudonimiseerd voor het auditspoor; ${LATER.nl}`,
    fr: `La personne concernée par la requête n’a pas pu être pseudonymisée pour la piste d’audit ; ${LATER.fr}`,
    de: `Die betroffene Person der Anfrage konnte für den Prüfpfad nicht pseudonymisiert werden; ${LATER.de}`,
    en: `The subject of the request could not be pseudonymised for the audit trail; ${LATER.en}`,
  }),
  ENCRYPTION_UNAVAILABLE: texts({
    nl: `De sleuteldienst die het INSZ van de werknemer beschermt, antwoordde niet; ${LATER.nl}`,
    fr: `Le service de clés qui protège le NISS du travailleur n’a pas répondu ; ${LATER.fr}`,
    de: `Der Schlüsseldienst, der die NISS des Arbeitnehmers schützt, hat nicht geantwortet; ${LATER.de}`,
    en: `The key service that protects the worker's NISS did not answer; ${LATER.en}`,
  }),
  AUDIT_UNAVAILABLE: texts({
    nl: `De raadpleging kon niet worden vastgelegd; ${LATER.nl}`,
    fr: `L’accès n’a pas pu être enregistré ; ${LATER.fr}`,
    de: `Der Zugriff konnte nicht erfasst werden; ${LATER.de}`,
    en: `The access could not be recorded; ${LATER.en}`,
  }),
  SOURCE_UNAVAILABLE: texts<{ source: string }>({
    nl: (p) => `De dienst ${p.source} antwoordde niet op tijd; ${LATER.nl}`,
    fr: (p) => `Le service ${p.source} n’a pas répondu à temps ; ${LATER.fr}`,
    de: (p) => `Der Dienst ${p.source} hat nicht rechtzeitig geantwortet; ${LATER.de}`,
    en: (p) => `The ${p.source} service did not answer in time; ${LATER.en}`,
  }),
  // biome-ignore lint/suspicious/noExplicitAny: each code's texts take their own parameters.
} satisfies { [C in ProblemCode]: AllLanguages<any> };

type PhraseParams<T> = T extends (params: infer P) => string ? P : never;
/** The figures a code's detail cites: none for a text of plain strings. */
type ProblemParams<C extends ProblemCode> = [PhraseParams<(typeof PROBLEM_TEXTS)[C]['en']>] extends [never]
  ? Record<string, never>
  : PhraseParams<(typeof PROBLEM_TEXTS)[C]['en']>;

export { PROBLEM_CODES, PROBLEM_LIMITS, type ProblemCode };

/** A request with many bad fields, or a very long field name, gets its first errors, each cut to PROBLEM_LIMITS. */
const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** The title and detail of a problem in `language`, its detail cut to PROBLEM_LIMITS. */
export const problemText = <C extends ProblemCode>(code: C, params: ProblemParams<C>, language: Language): { title: string; detail: string } => ({
  title: say(PROBLEM_TITLES[PROBLEM_CODES[code]], language),
  detail: cut(say(PROBLEM_TEXTS[code] as AllLanguages<ProblemParams<C>>, language, params), PROBLEM_LIMITS.detail),
});

export const problem = <C extends ProblemCode>(
  code: C,
  params: ProblemParams<C>,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => {
  const { title, detail } = problemText(code, params, 'en');
  return new HttpProblem(PROBLEM_CODES[code], code, title, detail, extensions, headers, (language) => problemText(code, params, language));
};

export interface FieldError {
  path: string;
  message: string;
}

const boundedErrors = (errors: FieldError[]): FieldError[] =>
  errors.slice(0, PROBLEM_LIMITS.errors).map((e) => ({ path: cut(e.path, PROBLEM_LIMITS.path), message: cut(e.message, PROBLEM_LIMITS.message) }));

const retryAfter = (seconds: number | string) => ({ 'retry-after': String(seconds) });

export const problems = {
  /** The detail is the sentence in the reader's language around the fields' paths and messages (as the schema gives them). */
  validationFailed: (errors: FieldError[]) => {
    const kept = boundedErrors(errors);
    const fields = kept.map((e) => `${e.path}: ${e.message}`).join('; ');
    return problem('VALIDATION_FAILED', { fields, more: errors.length - kept.length }, { errors: kept });
  },
  invalidJson: () => problem('INVALID_JSON', {}),
  duplicateKey: (path: string) =>
    problem('DUPLICATE_KEY', { path: cut(path, PROBLEM_LIMITS.path) }, { errors: boundedErrors([{ path, message: 'duplicate key' }]) }),
  payloadTooLarge: (maxBytes: number) => problem('PAYLOAD_TOO_LARGE', { maxBytes }),
  unknownToOnem: () => problem('UNKNOWN_TO_ONEM', {}),
  unsupportedMediaType: () => problem('UNSUPPORTED_MEDIA_TYPE', {}),
  /** `message` (English, from the verifier) goes in WWW-Authenticate; the detail is the code's text. */
  unauthorized: (reason: TokenFailure, message: string) =>
    problem(
      `TOKEN_${reason.toUpperCase() as Uppercase<TokenFailure>}`,
      {},
      {},
      { 'www-authenticate': `Bearer error="invalid_token", error_description="${message}"` },
    ),
  forbidden: <C extends ForbiddenCode>(code: C, params: ProblemParams<C>) => problem(code, params),
  notFound: () => problem('NOT_FOUND', { operation: false }),
  noSuchOperation: () => problem('NOT_FOUND', { operation: true }),
  claimBusy: () => problem('CLAIM_BUSY', {}, {}, retryAfter(2)),
  claimAlreadyDecided: () => problem('CLAIM_ALREADY_DECIDED', {}),
  claimWithdrawn: (claimId: string, byKey: boolean) =>
    problem('CLAIM_WITHDRAWN', { claimId, byKey }, { claimId }, { location: `/v1/training-leave/claims/${claimId}` }),
  idempotencyKeyReused: () => problem('IDEMPOTENCY_KEY_REUSED', {}),
  keySetUnavailable: () => problem('IDENTITY_PROVIDER_UNAVAILABLE', {}, {}, retryAfter(5)),
  pseudonymisationUnavailable: () => problem('PSEUDONYMISATION_UNAVAILABLE', {}, {}, retryAfter(5)),
  encryptionUnavailable: () => problem('ENCRYPTION_UNAVAILABLE', {}, {}, retryAfter(5)),
  auditUnavailable: () => problem('AUDIT_UNAVAILABLE', {}, {}, retryAfter(5)),
  sourceUnavailable: (source: string, retryAfterSeconds: number) => problem('SOURCE_UNAVAILABLE', { source }, { source }, retryAfter(retryAfterSeconds)),
  sourceContractViolation: (source: string) => problem('SOURCE_CONTRACT_VIOLATION', { source }, { source }),
  /** What a front that counts answers (the local cloud's); API Gateway's own throttle answers a plain JSON 429. */
  rateLimited: (retryAfterSeconds: number) => problem('RATE_LIMITED', {}, {}, retryAfter(retryAfterSeconds)),
  internal: () => problem('INTERNAL_ERROR', {}),
};
