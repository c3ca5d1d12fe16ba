import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The client is a PWA built from `client/` into `dist/`, which the server serves next to the
 * API on one origin. The service worker precaches the whole app shell so a tablet that has
 * loaded once can start with no network at all; the live data then comes from IndexedDB.
 */

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const THEME_COLOUR = '#0f766e';

export default defineConfig({
  root: fromRoot('./client'),
  publicDir: fromRoot('./public'),
  build: {
    outDir: fromRoot('./dist'),
    // dist/ sits outside the Vite root, so Vite would refuse to clean it without this.
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Libraries in their own chunks: an app release then changes only the app chunk, so the
        // service worker re-downloads a few kB on a tablet's slow link instead of everything.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'yjs', test: /node_modules[\\/](yjs|y-websocket|y-indexeddb|y-protocols|lib0)[\\/]/ },
            { name: 'dexie', test: /node_modules[\\/]dexie[\\/]/ },
            { name: 'zod', test: /node_modules[\\/]zod[\\/]/ },
          ],
        },
      },
    },
  },
  plugins: [
    react(),
    VitePWA({
      registerType: 'autoUpdate',
      // Registered by hand in client/main.tsx so the registration is visible in our code.
      injectRegister: null,
      strategies: 'generateSW',
      // The icons are precached by globPatterns already; listing them twice only duplicates entries.
      includeManifestIcons: false,
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,wasm}'],
        navigateFallback: '/index.html',
        // The API and the sync socket must always reach the server, never the app shell.
        navigateFallbackDenylist: [/^\/api\//, /^\/sync/],
      },
      manifest: {
        name: 'RestoFlow',
        short_name: 'RestoFlow',
        description: 'Restaurant point of sale that keeps working offline',
        start_url: '/pos',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: THEME_COLOUR,
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          // The artwork is full-bleed with the mark inside the central safe zone, so it masks well.
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
    }),
  ],
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: true },
      '/sync': {
        target: 'ws://127.0.0.1:8080',
        ws: true,
        // Only the socket goes to the relay: plain requests under /sync are this app's own
        // modules (client/sync/*.ts), which the dev server must serve itself.
        bypass: (req) => (req.headers.upgrade?.toLowerCase() === 'websocket' ? undefined : req.url),
      },
    },
  },
});
