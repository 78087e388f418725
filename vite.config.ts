import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { precompress } from './scripts/precompress';

// The PWA lives in pwa/, static files (icons) in public/, the build in dist/ (served by the sync server).
export default defineConfig({
  root: 'pwa',
  publicDir: '../public',
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
  worker: { format: 'es' },
  server: { proxy: { '/api': 'http://localhost:8080' } },
  plugins: [
    preact(),
    VitePWA({
      // An update prompt, never an auto-reload: the app decides when reloading is safe (outbox empty, no unsaved edits).
      registerType: 'prompt',
      injectRegister: false,
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
        globPatterns: ['**/*.{js,css,html,svg,png,woff2,webmanifest}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
      },
    }),
    precompress(),
  ],
});
