/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
// Which npm packages end up in the bundle, for the third-party notices (make notices).
import bundledPackages from './bundled-packages.mjs'

// One build serves both doors (Wails window and `castdesk serve`), under a
// Content-Security-Policy of `default-src 'self'`: no inline scripts, no eval.
export default defineConfig({
  plugins: [vue(), bundledPackages()],
  base: './',
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    // src/i18n/compile.ts compiles the texts: vue-i18n's compiler stays out
    // of the first bundle (less to parse before the window's first screen).
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
  },
  build: {
    outDir: 'dist',
    // dist/.gitkeep (needed by go:embed in a fresh clone) comes back from public/.gitkeep.
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill is an inline <script>: CSP `default-src 'self'` refuses it.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URIs for scripts; small images are fine as files.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': process.env.CASTDESK_API ?? 'http://127.0.0.1:8080',
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
})
