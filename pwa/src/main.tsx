// Entry: the data store, the renderer factory, the service worker, then the app.
import { render } from 'preact';
import { createDataStore } from './data/store';
import { createRenderer } from './render/client';
import { App } from './app/App';
import { ServicesContext, type Services } from './app/services';
import { onBackgroundSync, registerBackgroundSync, registerServiceWorker } from './app/sw';
import { watchInstall } from './app/install';
import { loadSession } from './state/session';
import { locale } from './i18n';
import './styles/app.css';

const services: Services = { store: createDataStore(), createRenderer: (canvas) => createRenderer(canvas) };
document.documentElement.lang = locale.value === 'zh' ? 'zh-CN' : 'en';
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
