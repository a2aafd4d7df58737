/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

import { defineConfig, type Plugin } from 'vite';

const PUBLIC = fileURLToPath(new URL('./public', import.meta.url));
const AGENTS_SOURCES = fileURLToPath(new URL('./src/agents/', import.meta.url));
/** The back office's chunks (those with pwa/src/agents/ modules in them) are named so, and not precached. */
const AGENTS_PREFIX = 'assets/agents-';

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Ships pwa/service-worker.js at the site root, unhashed, as browsers require, with
 * the list of every file the app needs written into it: the worker caches them all
 * when it installs, so the app works offline from the first visit, and a new build
 * (a new list, hence a new cache name) replaces the old cache (docs/decisions/0016).
 */
function serviceWorker(): Plugin {
  const source = fileURLToPath(new URL('./service-worker.js', import.meta.url));
  return {
    name: 'guichet-service-worker',
    enforce: 'post', // after Vite has added the page and the style sheets to the bundle
    generateBundle(_options, bundle) {
      // The back office's chunks are left out: a citizen's device never downloads them.
      const built = Object.keys(bundle).filter((name) => !name.startsWith('.vite/') && name !== 'index.html' && !name.startsWith(AGENTS_PREFIX));
      const copied = filesUnder(PUBLIC).map((path) => relative(PUBLIC, path).split('\\').join('/'));
      const files = ['/', ...[...built, ...copied].sort().map((name) => `/${name}`)];
      const version = createHash('sha256')
        .update(JSON.stringify(files))
        .update(Object.values(bundle).map((item) => (item.type === 'chunk' ? item.code : String(item.source))).join('\0'))
        .digest('hex')
        .slice(0, 12);
      const text = readFileSync(source, 'utf-8');
      const marker = "const PRECACHE = /* filled in by the build */ { version: 'dev', files: ['/'] };";
      if (!text.includes(marker)) throw new Error('service-worker.js: the precache marker line is missing');
      this.emitFile({
        type: 'asset',
        fileName: 'service-worker.js',
        source: text.replace(marker, `const PRECACHE = ${JSON.stringify({ version, files })};`),
      });
    },
  };
}

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|ico|txt|map)$/;

/**
 * Writes a gzip and a brotli copy beside each text file of the build; whitenoise
 * serves them to browsers that accept them, with Vary: Accept-Encoding (no
 * compression work while a request waits).
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'guichet-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/') ? config.build.outDir : join(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const path of filesUnder(outDir)) {
        if (!COMPRESSIBLE.test(path) || path.includes('/.vite/')) continue;
        const raw = readFileSync(path);
        if (raw.length < 512) continue;
        const gzip = gzipSync(raw, { level: 9 });
        const brotli = brotliCompressSync(raw, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
        });
        if (gzip.length < raw.length) writeFileSync(`${path}.gz`, gzip);
        if (brotli.length < raw.length) writeFileSync(`${path}.br`, brotli);
      }
    },
  };
}

export default defineConfig({
  plugins: [serviceWorker(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // dist/.vite/manifest.json names each entry's hashed file (the form engine's too).
    manifest: true,
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        forms: fileURLToPath(new URL('./src/forms/index.ts', import.meta.url)),
        // The widgets' module, at a fixed address other sites include (pwa/src/widgets/).
        widgets: fileURLToPath(new URL('./src/widgets/index.ts', import.meta.url)),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'widgets' ? 'widgets.js' : 'assets/[name]-[hash].js'),
        // A chunk holding a back-office module holds only code reached through the back
        // office (modules are grouped by the entries that reach them): lit's directives
        // the back office alone uses go with it.
        chunkFileNames: (chunk) =>
          chunk.moduleIds.some((id) => id.startsWith(AGENTS_SOURCES)) ? `${AGENTS_PREFIX}[name]-[hash].js` : 'assets/[name]-[hash].js',
        // PDF.js's worker (pwa/src/agents/pdf.ts asks for its address) is the back office's too.
        assetFileNames: (asset) =>
          asset.names.some((name) => name.startsWith('pdf.worker')) ? `${AGENTS_PREFIX}pdf-worker-[hash].js` : 'assets/[name]-[hash][extname]',
      },
      // The form engine's chunk keeps its exports: screens import it on demand.
      preserveEntrySignatures: 'exports-only',
    },
  },
  experimental: {
    // Files the code asks for (chunks it preloads, assets) are found from the module's own
    // address: the widgets run on other sites' pages, where "/assets/…" is not Guichet's.
    renderBuiltUrl(filename, { hostType }) {
      if (hostType === 'js') return { runtime: `new URL(${JSON.stringify(`/${filename}`)}, import.meta.url).href` };
      return { relative: false };
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8000', '/manifest.webmanifest': 'http://127.0.0.1:8000' },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
});
