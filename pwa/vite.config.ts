/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { defineConfig, type Plugin } from 'vite';

/** Ships pwa/service-worker.js at the site root, unhashed, as browsers require. */
function serviceWorker(): Plugin {
  const source = fileURLToPath(new URL('./service-worker.js', import.meta.url));
  return {
    name: 'guichet-service-worker',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'service-worker.js', source: readFileSync(source, 'utf-8') });
    },
  };
}

export default defineConfig({
  plugins: [serviceWorker()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // dist/.vite/manifest.json names each entry's hashed file (the form engine's too).
    manifest: true,
    rollupOptions: {
      input: { main: fileURLToPath(new URL('./index.html', import.meta.url)), forms: fileURLToPath(new URL('./src/forms/index.ts', import.meta.url)) },
      // The form engine's chunk keeps its exports: screens import it on demand.
      preserveEntrySignatures: 'exports-only',
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8000' },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
});
