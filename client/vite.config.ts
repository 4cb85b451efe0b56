import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The server (port 4000) serves /graphql over HTTP POST and the graphql-ws websocket upgrade.
const serverUrl = process.env.RENKEI_SERVER_URL ?? 'http://localhost:4000'

export default defineConfig(({ command }) => ({
  plugins: [vue()],
  define: {
    // Apollo Client 3 strips its development-only checks and messages when __DEV__ is false.
    ...(command === 'build' ? { 'globalThis.__DEV__': 'false' } : {}),
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
  },
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: serverUrl, ws: true },
      '/healthz': { target: serverUrl },
      '/api': { target: serverUrl },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
}))
