import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HANDLERS } from '../../container/handlers.js';
import { compilePath, declaredRoutes, matchRoute, routeTable } from '../../container/routes.js';
import { FUNCTIONS, type FunctionDeclaration } from '../../shared/deployment/functions.js';
import { HTTP_BINDINGS } from '../../shared/purposes/catalogue.js';

// The container's route table is the catalogue's: a route declared there is served here, by the function that declares it.
describe('container route table', () => {
  const table = routeTable();

  it('serves every HTTP binding of the purpose catalogue, by the function that declares it', () => {
    const served = new Set(table.routes.map((r) => `${r.method} ${r.path}`));
    for (const binding of HTTP_BINDINGS)
      expect(served, `${binding.route.method} ${binding.route.path}`).toContain(`${binding.route.method} ${binding.route.path}`);
    for (const [key, fn] of Object.entries(FUNCTIONS) as [string, FunctionDeclaration][]) {
      for (const { method, path } of declaredRoutes(fn)) expect(table.routes.find((r) => r.method === method && r.path === path)?.functionKey).toBe(key);
    }
  });

  it('holds nothing the catalogue does not declare, and its default route is the one FUNCTIONS marks', () => {
    const declared = Object.values(FUNCTIONS as Record<string, FunctionDeclaration>).flatMap(declaredRoutes).length;
    expect(table.routes).toHaveLength(declared);
    expect(table.defaultRoute).toBe('notFound');
  });

  it('fails to build when a binding has no route or the default route is missing', () => {
    const { notFound: _default, ...withoutDefault } = FUNCTIONS;
    expect(() => routeTable(withoutDefault)).toThrow(/default route/);
    const twice = { ...FUNCTIONS, again: { handler: 'x.handler', routes: [{ method: 'GET', path: '/v1/health' }], grants: {} } } as Record<
      string,
      FunctionDeclaration
    >;
    expect(() => routeTable(twice)).toThrow(/declared twice/);
  });

  it('matches path parameters, literal paths first, and sends anything else (an unknown method too) to the default route', () => {
    expect(matchRoute(table, 'GET', '/v1/training-leave/claims/abc%2D1')).toEqual({
      functionKey: 'getTrainingLeaveClaim',
      routeKey: 'GET /v1/training-leave/claims/{claimId}',
      pathParameters: { claimId: 'abc-1' },
    });
    expect(matchRoute(table, 'POST', '/v1/training-leave/claims/c-1/withdrawal').pathParameters).toEqual({ claimId: 'c-1' });
    expect(matchRoute(table, 'GET', '/v1/training-leave/claims').functionKey).toBe('listTrainingLeaveClaims');
    expect(matchRoute(table, 'GET', '/docs/swagger-ui.css')).toMatchObject({ functionKey: 'apiReference', pathParameters: { asset: 'swagger-ui.css' } });
    expect(matchRoute(table, 'GET', '/docs').functionKey).toBe('apiReference');
    expect(matchRoute(table, 'DELETE', '/v1/training-leave/claims')).toEqual({ functionKey: 'notFound', routeKey: '$default' });
    expect(matchRoute(table, 'GET', '/v1/nothing-here').functionKey).toBe('notFound');
    expect(matchRoute(table, 'GET', '/v1/training-leave/claims/a/b').functionKey).toBe('notFound');
  });

  it('compiles greedy parameters as API Gateway does', () => {
    const { pattern, params } = compilePath('/files/{path+}');
    expect(params).toEqual(['path']);
    expect(pattern.exec('/files/a/b')?.[1]).toBe('a/b');
  });

  it('loads each function from the module FUNCTIONS names as its handler', () => {
    const source = readFileSync(join(import.meta.dirname, '../../container/handlers.ts'), 'utf8');
    expect(Object.keys(HANDLERS).sort()).toEqual(Object.keys(FUNCTIONS).sort());
    for (const [key, fn] of Object.entries(FUNCTIONS)) {
      const module = fn.handler.slice(0, fn.handler.lastIndexOf('.'));
      expect(source, key).toContain(`${key}: () => load(import('../${module}.js'))`);
    }
  });
});
