// Lint enforces the architecture. Each message says what to use instead.
import tseslint from 'typescript-eslint';

const rule = '@typescript-eslint/no-restricted-imports';
const ours = (msg) => [
  { group: ['@in3d/sync-server', '@in3d/sync-server/*', '**/sync-server/**'], message: msg },
  { group: ['@in3d/pwa', '@in3d/pwa/*', '**/pwa/**'], message: msg },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'dist/**', 'data/**', '**/*.d.ts', 'coverage/**'] },
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: { 'no-debugger': 'error', 'no-var': 'error', 'prefer-const': 'error' },
  },
  {
    files: ['shared/src/**/*.ts'],
    rules: {
      [rule]: ['error', {
        patterns: [
          ...ours('shared/ is the base layer and imports nothing of ours: move the code into shared/ or pass it in as a parameter.'),
          { group: ['node:*', 'fs', 'path', 'crypto'], message: 'shared/ runs in the browser, the worker and Node: take bytes/strings as parameters instead of using Node APIs.' },
          { group: ['dexie', 'idb-keyval', 'preact', 'preact/*', 'three', 'hono', 'hono/*', 'kysely', 'better-sqlite3'], message: 'shared/ holds pure types, math, codecs and protocol: keep framework and storage code in pwa/ or sync-server/.' },
        ],
      }],
    },
  },
  {
    files: ['pwa/src/render/worker/**/*.ts'],
    rules: {
      [rule]: ['error', {
        patterns: [
          { regex: '^(?!@in3d/shared/|three$|three/|comlink$|\\.)', message: 'The render worker imports only @in3d/shared, three, comlink and its own files: pass anything else in through the RendererApi.' },
          { regex: '^\\..*/(data|pages|state|components|app|i18n)(/|$)', message: 'The render worker does not reach into the app: pass what it needs in through the RendererApi.' },
        ],
      }],
    },
  },
  {
    files: ['pwa/src/snap/worker.ts'],
    rules: {
      [rule]: ['error', {
        patterns: [{ regex: '^(?!@in3d/shared/|comlink$)', message: 'The Snap worker imports only @in3d/shared and comlink: put the algorithm in shared/src/snap and pass data in through SnapApi.' }],
      }],
    },
  },
  {
    files: ['pwa/src/**/*.{ts,tsx}'],
    ignores: ['pwa/src/data/**', 'pwa/src/render/worker/**'],
    rules: {
      [rule]: ['error', {
        patterns: [
          { group: ['dexie', 'idb-keyval'], message: 'Pages and components read state through pwa/src/state/* or the DataStore (pwa/src/data/contract.ts), never IndexedDB directly.' },
          { group: ['@in3d/sync-server', '@in3d/sync-server/*', '**/sync-server/**'], message: 'The app talks to the server over HTTP: import its types only (import type).', allowTypeImports: true },
        ],
      }],
    },
  },
  {
    files: ['pwa/src/data/**/*.ts'],
    rules: {
      [rule]: ['error', {
        patterns: [{ group: ['@in3d/sync-server', '@in3d/sync-server/*', '**/sync-server/**'], message: 'The app talks to the server over HTTP: import its types only (import type).', allowTypeImports: true }],
      }],
    },
  },
  {
    files: ['sync-server/src/routes/**/*.ts'],
    rules: {
      [rule]: ['error', {
        patterns: [
          { group: ['kysely', 'better-sqlite3', '**/db/schema'], message: 'Routes reach the database only through sync-server/src/repositories/*: add a repository function.', allowTypeImports: true },
        ],
      }],
    },
  },
  {
    files: ['sync-server/src/db/migrations/**/*.ts'],
    rules: {
      [rule]: ['error', {
        patterns: [{ group: ['../*', '../../*', '@in3d/*'], message: 'Migrations are frozen and import no app code: inline what you need (Kysely<any> and sql only).' }],
      }],
    },
  },
);
