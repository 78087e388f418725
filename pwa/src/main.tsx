// Entry: the data store, the renderer factory, the service worker, then the app.
import { render } from 'preact';
import { createDataStore } from './data/store';
import { createRenderer } from './render/client';
import { App } from './app/App';
import { ServicesContext, type Services } from './app/services';
import { onBackgroundSync, registerBackgroundSync, registerServiceWorker } from './app/sw';
import { watchInstall } from './app/install';
import { bindApi } from './state/api';
import { loadSession } from './state/session';
import { locale } from './i18n';
import { reportError } from './app/report-error';
import './styles/app.css';

// The last net: a promise nobody awaited or an error outside a handler still reaches the one report path.
window.addEventListener('unhandledrejection', (e) => reportError('unhandled rejection', e.reason));
window.addEventListener('error', (e) => {
  // Chromium reports a benign layout notice as an error event; it is not a failure of ours.
  if (String(e.message).startsWith('ResizeObserver loop')) return;
  reportError('uncaught error', e.error ?? e.message);
});

const services: Services = { store: createDataStore({ onError: reportError }), createRenderer: (canvas) => createRenderer(canvas) };
document.documentElement.lang = locale.value === 'zh' ? 'zh-CN' : 'en';
bindApi(services.store);
void loadSession(services.store);
registerServiceWorker();
watchInstall();
// After each save (the outbox grew), ask for a Background Sync; its event comes back here as a message.
let lastPending = 0;
services.store.onStatus((s) => {
  if (s.pending > lastPending) void registerBackgroundSync();
  lastPending = s.pending;
});
onBackgroundSync(() => void services.store.syncNow());

render(
  <ServicesContext.Provider value={services}>
    <App />
  </ServicesContext.Provider>,
  document.getElementById('app')!,
);
