// Builds the React app into web/dist, which `tenantflow serve` serves on the API's origin. Each
// script and stylesheet also gets .br and .gz twins, which the server hands to browsers that accept them.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

function precompress(): Plugin {
  let outDir = join(root, 'dist');
  return {
    name: 'tenantflow-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const assets = join(outDir, 'assets');
      for (const f of readdirSync(assets)) {
        if (!/\.(js|css)$/.test(f)) continue;
        const data = readFileSync(join(assets, f));
        if (data.length < 1024) continue;
        writeFileSync(join(assets, `${f}.gz`), gzipSync(data, { level: 9 }));
        writeFileSync(join(assets, `${f}.br`), brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npx vite web` during development talks to a running `npm start` on port 3000.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true }, '/docs': 'http://127.0.0.1:3000' },
  },
});
