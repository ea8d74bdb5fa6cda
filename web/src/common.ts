import { type ApiClient, createApiClient, type GatewayThrottled, type Problem } from '../../shared/client/client.js';
import { LANGUAGES, type Language } from '../../shared/domain/career-break/codes.js';

export { LANGUAGES, type Language };

const LANGUAGE_KEY = 'bcss.language';
const isLanguage = (value: string | null): value is Language => (LANGUAGES as readonly string[]).includes(value ?? '');

/** The citizen pages' language: the one asked in the URL (`?lang=`), else the one last chosen, else French. */
export const chosenLanguage = (): Language => {
  const asked = new URLSearchParams(location.search).get('lang');
  const stored = localStorage.getItem(LANGUAGE_KEY);
  return isLanguage(asked) ? asked : isLanguage(stored) ? stored : 'fr';
};

/** Remembered for the other citizen pages. */
export const rememberLanguage = (language: Language) => localStorage.setItem(LANGUAGE_KEY, language);

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

/** A problem+json answer as one sentence, for an alert (the API's; API Gateway's throttle answer has none of its own). */
export const problemText = (problem: Problem | GatewayThrottled | undefined, fallback: string): string => {
  if (problem && 'detail' in problem) return problem.detail || fallback;
  if (problem && 'message' in problem) return 'Too many requests at the moment; try again in a few seconds.';
  return fallback;
};

/** The header of every signed-in page: who is signed in, and a way out. */
export const header = (container: HTMLElement, current: Session, signOutLabel = 'Sign out') => {
  show(
    container,
    h('span', { class: 'who' }, `${current.role}: ${current.label}`),
    h('button', { type: 'button', class: 'link', onclick: signOut }, signOutLabel),
  );
};

export const euro = (amount: string | undefined) => (amount === undefined ? '—' : `€ ${amount}`);
