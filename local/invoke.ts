/**
 * `npm run invoke:local -- --function <name> --path events/<file>` (and
 * `npm run retention:purge`): `osls invoke local` against a running `npm start`, with the
 * endpoints derived from the same port variables as `npm start` (local/endpoints.ts), the
 * emulators' dummy credentials, and a build folder of its own (.local/build/invoke).
 */
import { spawnSync } from 'node:child_process';
import { type LocalEndpoints, localEndpoints } from './endpoints.js';
import { oslsBin, projectRoot } from './service-definition.js';

let endpoints: LocalEndpoints;
try {
  endpoints = localEndpoints();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const result = spawnSync(process.execPath, [oslsBin(), 'invoke', 'local', '--stage', 'local', ...process.argv.slice(2)], {
  cwd: projectRoot,
  stdio: 'inherit',
  env: {
    ...process.env,
    ...endpoints,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'eu-west-1',
    ESBUILD_WORK_FOLDER: '.local/build/invoke',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
  },
});
process.exit(result.status ?? 1);
