import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes sw.js from web/sw/service-worker.js with the list of files the
 * build made (the app shell) and a cache name from their names, so a new
 * build replaces the cached shell.
 */
function serviceWorker(): Plugin {
  return {
    name: 'image2svg-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const publicFiles = readdirSync(fileURLToPath(new URL('./public', import.meta.url)));
      const files = [...Object.keys(bundle), ...publicFiles].filter((f) => !f.endsWith('.map')).sort();
      const shell = ['./index.html', ...files.filter((f) => f !== 'index.html').map((f) => `./${f}`)];
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
      const template = readFileSync(
        fileURLToPath(new URL('./sw/service-worker.js', import.meta.url)),
        'utf8',
      );
      const source = template
        .replace('self.__SHELL__', JSON.stringify(shell))
        .replace('self.__VERSION__', JSON.stringify(version));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

/**
 * The UI builds to static files with relative asset URLs (base './'), so the
 * same build is served by the service at `/` and by any static server (the
 * nginx frontend image) with `/api` proxied to the backend. In development
 * the Vite server proxies `/api` to a service running on port 8000.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react(), serviceWorker()],
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env.API_TARGET ?? 'http://localhost:8000', changeOrigin: true } },
  },
});
