import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

/**
 * The built pages as static files, with the headers they are served with: shared by the
 * local web server (npm start) and the container runtime (npm run serve, the image), so the
 * pages get the same policy from both.
 */
export const PAGE_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Only this origin: the pages load nothing from elsewhere and write no HTML. */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const PAGE_HEADERS = {
  'content-security-policy': PAGE_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

export interface PageAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

const notFound = (): PageAnswer => ({ status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', ...PAGE_HEADERS }, body: 'not found' });

/** The file under `root` a path names (`/` is index.html), never one outside it, only of the page types. */
export const readPage = async (root: string, path: string): Promise<PageAnswer> => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path === '/' ? '/index.html' : path);
  } catch {
    return { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'malformed path' };
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  const file = join(root, relative);
  const type = PAGE_TYPES[extname(file)];
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep) || !type) return notFound();
  const content = await readFile(file).catch(() => undefined);
  if (!content) return notFound();
  return { status: 200, headers: { 'content-type': type, ...PAGE_HEADERS }, body: content };
};
