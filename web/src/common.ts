import { type ApiClient, createApiClient, type GatewayThrottled, type Problem } from '../../shared/client/client.js';
import { LANGUAGES, type Language } from '../../shared/domain/career-break/codes.js';
import { formatDate, formatEuro } from '../../shared/domain/i18n/formats.js';

export { LANGUAGES, type Language };
export { formatDate, formatEuro, formatMonth, formatNumber } from '../../shared/domain/i18n/formats.js';

const LANGUAGE_KEY = 'bcss.language';

/**
 * A page's language: the one asked in the URL (`?lang=`), else the one last chosen on any
 * page, else the page's own default, among the languages the page offers. The citizen pages
 * offer fr, nl, de, en (French first); the employer and DWSE pages nl, fr, en (Dutch first);
 * the Actiris page fr, nl, en (French first). A language the page does not offer (German
 * remembered from MyCareer on the employer page) gives the page's default.
 */
export const chosenLanguage = <L extends Language = Language>(offered: readonly L[] = LANGUAGES as readonly Language[] as readonly L[]): L => {
  const fallback = offered[0] as L;
  const isOffered = (value: string | null): value is L => (offered as readonly string[]).includes(value ?? '');
  const asked = new URLSearchParams(location.search).get('lang');
  const stored = localStorage.getItem(LANGUAGE_KEY);
  return isOffered(asked) ? asked : isOffered(stored) ? stored : fallback;
};

/** Remembered for the other pages (one reader, one language). */
export const rememberLanguage = (language: Language) => localStorage.setItem(LANGUAGE_KEY, language);

/** The names of the languages, each in itself, for a switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = { fr: 'Français', nl: 'Nederlands', de: 'Deutsch', en: 'English' };

/**
 * A language switcher in the page's header, as on the citizen pages: a labelled select of
 * the languages `offered`; `onChange` gets the one chosen (remembered before it is called).
 * Returns a function that relabels it when the page's language changes.
 */
export const languageSwitch = <L extends Language>(container: HTMLElement, offered: readonly L[], current: L, onChange: (language: L) => void) => {
  const label = h('span', { id: 'language-label' });
  const select = h(
    'select',
    { id: 'language', 'aria-labelledby': 'language-label' },
    ...offered.map((l) => h('option', { value: l, lang: l }, LANGUAGE_NAMES[l])),
  ) as HTMLSelectElement;
  select.value = current;
  select.addEventListener('change', () => {
    const chosen = select.value as L;
    rememberLanguage(chosen);
    onChange(chosen);
  });
  show(container, label, select);
  return (text: string, language: L) => {
    label.textContent = text;
    select.value = language;
  };
};

/**
 * The page's own words in `language` put in the static HTML: every element with
 * `data-text="key"` gets `words[key]` as its text; `<html lang>` follows.
 */
export const applyWords = (words: Record<string, string>, language: Language) => {
  document.documentElement.lang = language;
  for (const element of document.querySelectorAll<HTMLElement>('[data-text]')) {
    const text = words[element.dataset.text ?? ''];
    if (text !== undefined) element.textContent = text;
  }
};

/**
 * What every page shares: the session (a token in sessionStorage, put there by the sign-in
 * page — locally the local identity provider's, in a deployment the real one's), the typed
 * API client on the same origin, and a DOM helper that only ever writes text (no HTML
 * strings: nothing the API returns can become markup).
 */
export interface Session {
  token: string;
  role: 'citizen' | 'employer' | 'dwse' | 'actiris';
  /** What the header shows: the NISS, enterprise number or team the token names. */
  label: string;
}

const SESSION_KEY = 'bcss.session';

export const session = (): Session | undefined => {
  const raw = sessionStorage.getItem(SESSION_KEY);
  return raw ? (JSON.parse(raw) as Session) : undefined;
};

export const saveSession = (value: Session) => sessionStorage.setItem(SESSION_KEY, JSON.stringify(value));

export const signOut = () => {
  sessionStorage.removeItem(SESSION_KEY);
  location.assign('index.html');
};

/** The session of a page for `role`; without one, off to the sign-in page, and the page's script goes no further (never resolves). */
export const requireSession = (role: Session['role']): Promise<Session> => {
  const current = session();
  if (current && current.role === role) return Promise.resolve(current);
  location.assign(`index.html?next=${encodeURIComponent(`${location.pathname.split('/').pop() ?? ''}${location.search}`)}`);
  return new Promise(() => {});
};

export const apiClient = (token: string, language?: string): ApiClient =>
  createApiClient({ baseUrl: location.origin, token, ...(language ? { language } : {}) });

type Child = Node | string | number | null | undefined | false;
/** Children as nodes or text; nothing for null, undefined and false. */
const nodes = (children: Child[]): (Node | string)[] =>
  children.flatMap((child) => (child === null || child === undefined || child === false ? [] : [typeof child === 'object' ? child : String(child)]));
type Attributes = Record<string, string | boolean | undefined | ((event: Event) => void)>;

/** Builds an element: attributes (`on*` are listeners), then children as text or nodes. */
export const h = (tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  element.append(...nodes(children));
  return element;
};

export const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing`);
  return element as T;
};

/** Replaces the content of `container`. */
export const show = (container: HTMLElement, ...children: Child[]) => {
  container.replaceChildren(...nodes(children));
};

const THROTTLED: Record<Language, string> = {
  fr: 'Trop de demandes en ce moment ; réessayez dans quelques secondes.',
  nl: 'Te veel aanvragen op dit moment; probeer het over enkele seconden opnieuw.',
  de: 'Zu viele Anfragen im Moment; versuchen Sie es in einigen Sekunden erneut.',
  en: 'Too many requests at the moment; try again in a few seconds.',
};

/**
 * A problem+json answer as one sentence, for an alert: the API's `detail`, in the language
 * the page asked (Accept-Language); API Gateway's throttle answer has none of its own.
 */
export const problemText = (problem: Problem | GatewayThrottled | undefined, fallback: string, language: Language = 'en'): string => {
  if (problem && 'detail' in problem) return problem.detail || fallback;
  if (problem && 'message' in problem) return THROTTLED[language];
  return fallback;
};

/** The header of every signed-in page: who is signed in (`role` in the page's words), and a way out. */
export const header = (container: HTMLElement, current: Session, signOutLabel = 'Sign out', roleLabel: string = current.role) => {
  show(
    container,
    h('span', { class: 'who' }, `${roleLabel}: ${current.label}`),
    h('button', { type: 'button', class: 'link', onclick: signOut }, signOutLabel),
  );
};

/** An amount of the API ("1234.56") in the page language's Belgian format; "—" when there is none. */
export const amountText = (amount: string | null | undefined, language: Language) =>
  amount === undefined || amount === null ? '—' : formatEuro(amount, language);

const BRUSSELS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Brussels',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant of the API, as a Belgian reads it: the date and time in Brussels, "03/12/2026 14:05". */
export const instantText = (instant: string | null | undefined, language: Language): string => {
  if (!instant) return '—';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  const part = Object.fromEntries(BRUSSELS.formatToParts(date).map((p) => [p.type, p.value]));
  return `${formatDate(`${part.year}-${part.month}-${part.day}`, language)} ${part.hour}:${part.minute}`;
};
