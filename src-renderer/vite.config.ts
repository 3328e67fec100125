import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type UserConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));

// Shared with electron.vite.config.ts: the same build is loaded from file:// by
// Electron and over http by the service, hence relative asset URLs.
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
