/** The built app (make test builds it before these run): what the service worker
 * caches, and the compressed copies the server sends. */

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function precache(): { version: string; files: string[] } {
  const worker = readFileSync(join(DIST, 'service-worker.js'), 'utf8');
  const line = /^const PRECACHE = (\{.*\});$/m.exec(worker);
  if (!line) throw new Error('no precache list in dist/service-worker.js');
  return JSON.parse(line[1]) as { version: string; files: string[] };
}

describe('the service worker built', () => {
  it('caches every file of the citizen app when it installs, and nothing else', () => {
    const { version, files } = precache();
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    const shipped = filesUnder(DIST)
      .map((path) => `/${relative(DIST, path).split('\\').join('/')}`)
      .filter((path) => !/\.(gz|br)$/.test(path) && !path.startsWith('/.vite/'))
      .filter((path) => path !== '/index.html' && path !== '/service-worker.js' && !path.startsWith('/assets/agents-'));
    expect([...files].sort()).toEqual(['/', ...shipped].sort());
    const manifest = JSON.parse(readFileSync(join(DIST, '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string }>;
    for (const entry of Object.values(manifest)) {
      if (!entry.file.startsWith('assets/agents-')) expect(files).toContain(`/${entry.file}`);
    }
  });

  it('leaves the back office out: its code is in chunks of its own that only agents load', () => {
    const { files } = precache();
    const agents = filesUnder(join(DIST, 'assets')).filter((path) => /\/agents-[^/]+\.js$/.test(path));
    expect(agents.length).toBeGreaterThanOrEqual(1);
    expect(files.filter((file) => file.includes('/agents-'))).toEqual([]);
    // No other chunk carries the back office's code (its custom elements' names).
    const others = filesUnder(join(DIST, 'assets')).filter((path) => path.endsWith('.js') && !path.includes('/agents-'));
    for (const path of others) {
      const text = readFileSync(path, 'utf8');
      expect(text.includes('guichet-agent-request') || text.includes('Demandes à traiter'), path).toBe(false);
      expect(text.includes('GlobalWorkerOptions'), `${path} holds PDF.js`).toBe(false);
    }
    // PDF.js and its worker (the request screen's PDF pages) are the back office's, loaded on demand.
    const pdfjs = filesUnder(join(DIST, 'assets')).filter((path) => path.endsWith('.js') && readFileSync(path, 'utf8').includes('GlobalWorkerOptions'));
    expect(pdfjs.length).toBeGreaterThanOrEqual(1);
    expect(pdfjs.every((path) => path.includes('/agents-')), pdfjs.join(', ')).toBe(true);
    expect(filesUnder(join(DIST, 'assets')).some((path) => /\/agents-pdf-worker-[^/]+\.js$/.test(path))).toBe(true);
  });
});

describe('the compressed copies', () => {
  it('exist beside each text file worth compressing and hold the same bytes', () => {
    const texts = filesUnder(DIST).filter((path) => /\.(js|css|html|webmanifest|ico)$/.test(path));
    let checked = 0;
    for (const path of texts) {
      const raw = readFileSync(path);
      if (raw.length < 512) continue;
      expect(existsSync(`${path}.gz`), `${path}.gz`).toBe(true);
      expect(existsSync(`${path}.br`), `${path}.br`).toBe(true);
      expect(gunzipSync(readFileSync(`${path}.gz`)).equals(raw)).toBe(true);
      expect(brotliDecompressSync(readFileSync(`${path}.br`)).equals(raw)).toBe(true);
      expect(readFileSync(`${path}.br`).length).toBeLessThan(raw.length);
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(4); // the page, the app's script and style, the form engine
  });
});
