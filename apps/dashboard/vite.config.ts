import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The dashboard's own folder is the root: index.html and src/ live here.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  // Vite 8 transforms JSX itself (Oxc); no React plugin.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: process.env.DASHBOARD_OUT ? resolve(process.env.DASHBOARD_OUT) : resolve(root, '../../dist/dashboard'),
    emptyOutDir: true,
    // One bundle for a dashboard served from the api: React, React Flow and TanStack Query.
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      onwarn(warning, warn) {
        // TanStack Query's "use client" directives mean nothing without server components.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
