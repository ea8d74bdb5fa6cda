import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * `import … with { type: 'text' }` (the API reference's Swagger UI files) for the container
 * run from source (tsx): esbuild inlines them in the bundles, Node does not know the type.
 * Imported first by container/serve.ts; the image's bundle needs none of it.
 */
registerHooks({
  load(url, context, next) {
    if (context.importAttributes?.type !== 'text') return next(url, context);
    return { format: 'module', source: `export default ${JSON.stringify(readFileSync(fileURLToPath(url), 'utf8'))};`, shortCircuit: true };
  },
});
