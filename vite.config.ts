import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { precompress } from './scripts/precompress';

// The PWA lives in pwa/, static files (icons) in public/, the build in dist/ (served by the sync server).
export default defineConfig({
  root: 'pwa',
  publicDir: '../public',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // dist/.vite/manifest.json: the build-budget test reads which chunks the app loads first.
    manifest: true,
    rollupOptions: {
      output: {
        // The main-thread render fallback repeats the worker's engine and three.js: named apart so the
        // service worker precaches one copy (the worker's) and fetches this one only where it is used.
        chunkFileNames: (chunk) =>
          chunk.moduleIds.some((id) => id.includes('/render/worker/')) ? 'assets/render-fallback-[name]-[hash].js' : 'assets/[name]-[hash].js',
      },
    },
  },
  worker: { format: 'es' },
  server: { proxy: { '/api': 'http://localhost:8080' } },
  plugins: [
    preact(),
    VitePWA({
      // An update prompt, never an auto-reload: the app decides when reloading is safe (outbox empty, no unsaved edits).
      registerType: 'prompt',
      injectRegister: false,
      includeManifestIcons: false,
      manifest: {
        name: 'ImageNet3D Annotator',
        short_name: 'Annotator',
        description: 'Annotate 3D object pose in photos, online or offline.',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        theme_color: '#1f2937',
        background_color: '#111827',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell is precached so the app opens with no network. API data lives in IndexedDB, not here.
        // The plugin adds the web manifest itself; icons come from this glob (includeManifestIcons off).
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        globIgnores: ['**/render-fallback-*'],
        runtimeCaching: [{ urlPattern: /\/assets\/render-fallback-/, handler: 'CacheFirst', options: { cacheName: 'render-fallback' } }],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        // Background Sync: the worker wakes open tabs to push the outbox (public/sw-sync.js).
        importScripts: ['/sw-sync.js'],
      },
    }),
    precompress(),
  ],
});
