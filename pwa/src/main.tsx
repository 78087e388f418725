// Entry: the data store, the renderer factory, the service worker, then the app.
import { render } from 'preact';
import { createDataStore } from './data/store';
import { createRenderer } from './render/client';
import { App } from './app/App';
import { ServicesContext, type Services } from './app/services';
import { registerServiceWorker } from './app/sw';
import { loadSession } from './state/session';
import { locale } from './i18n';
import './styles/app.css';
import './styles/details.css';

const services: Services = { store: createDataStore(), createRenderer: (canvas) => createRenderer(canvas) };
document.documentElement.lang = locale.value === 'zh' ? 'zh-CN' : 'en';
void loadSession(services.store);
registerServiceWorker();

render(
  <ServicesContext.Provider value={services}>
    <App />
  </ServicesContext.Provider>,
  document.getElementById('app')!,
);
