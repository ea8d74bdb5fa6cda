import { FUNCTIONS, type FunctionDeclaration, type FunctionKey } from '../shared/deployment/functions.js';

/**
 * The container's route table, derived from the deployment catalogue (FUNCTIONS) as the
 * gateway's is: each HTTP binding's route, each function's plain routes, and the function
 * of the default route for whatever matches none. Never a hand-kept list: a function added
 * to the catalogue is served here too.
 */
export interface Route {
  method: string;
  /** As declared, e.g. `/v1/training-leave/claims/{claimId}`. */
  path: string;
  functionKey: FunctionKey;
  pattern: RegExp;
  params: string[];
}

export interface RouteTable {
  routes: Route[];
  /** The function of the gateway's `$default` route. */
  defaultRoute: FunctionKey;
}

export interface RouteMatch {
  functionKey: FunctionKey;
  /** `GET /v1/…`, or `$default`, as API Gateway names it in the event. */
  routeKey: string;
  pathParameters?: Record<string, string>;
}

/** The routes a function declares: its HTTP binding's, or its plain ones. */
export const declaredRoutes = (fn: FunctionDeclaration): { method: string; path: string }[] => {
  if (fn.binding?.kind === 'http') return [{ method: fn.binding.route.method, path: fn.binding.route.path }];
  return (fn.routes ?? []).map((r) => ({ method: r.method, path: r.path }));
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `{name}` matches one path segment; `{name+}` the rest of the path (API Gateway's greedy parameter). */
export const compilePath = (path: string): { pattern: RegExp; params: string[] } => {
  const params: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const m = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
      if (!m) return escapeRegExp(segment);
      params.push(m[1]!);
      return m[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), params };
};

export const routeTable = (functions: Readonly<Record<string, FunctionDeclaration>> = FUNCTIONS): RouteTable => {
  const routes: Route[] = [];
  const defaults: string[] = [];
  for (const [key, fn] of Object.entries(functions)) {
    if (fn.defaultRoute) defaults.push(key);
    for (const { method, path } of declaredRoutes(fn)) {
      if (routes.some((r) => r.method === method && r.path === path)) throw new Error(`${method} ${path} is declared twice in the catalogue`);
      routes.push({ method, path, functionKey: key as FunctionKey, ...compilePath(path) });
    }
  }
  if (defaults.length !== 1) throw new Error(`the catalogue must declare exactly one default route, found ${defaults.length}`);
  // As API Gateway picks the most specific route: literal paths before those with parameters.
  routes.sort((a, b) => a.params.length - b.params.length || b.path.length - a.path.length);
  return { routes, defaultRoute: defaults[0] as FunctionKey };
};

const decode = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** The function for a method and path; on no match (or a method the path does not have) the default route, as the gateway routes on both. */
export const matchRoute = (table: RouteTable, method: string, path: string): RouteMatch => {
  for (const route of table.routes) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    const pathParameters = Object.fromEntries(route.params.map((name, i) => [name, decode(m[i + 1]!)]));
    return { functionKey: route.functionKey, routeKey: `${route.method} ${route.path}`, ...(route.params.length > 0 ? { pathParameters } : {}) };
  }
  return { functionKey: table.defaultRoute, routeKey: '$default' };
};
