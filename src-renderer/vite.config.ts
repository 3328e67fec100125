import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type UserConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));

// Shared with electron.vite.config.ts: the same build is loaded by the desktop
// app from its own scheme (guichet://app/, never file://: see
// src-main/connection/app-protocol.ts) and over http by the service. Asset URLs
// are relative to index.html, which sits at the root of either origin.
export const rendererConfig = {
  root: rendererRoot,
  base: './',
  plugins: [vue()],
  css: {
    // DSFR ships an old IE hack that lightningcss refuses when minifying.
    lightningcss: { errorRecovery: true },
  },
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:4780',
    },
  },
} satisfies UserConfig;

export default defineConfig(rendererConfig);
