/**
 * The English messages of zod's issues, which the API returns in `errors[]` (problem
 * responses). Classic zod installs them on its first schema; `zod/mini` installs none (its
 * issues would all read "Invalid input"), so every module that builds schemas imports this
 * one first. Only the English locale is bundled, not zod's others.
 */
// Named, from the locales' index (tree-shaken to `en`): the locale file's own default export
// is `module.exports` in its CommonJS build, which esbuild's CommonJS bundles (serverless/catalogue.cjs) do not unwrap.
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());
