import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
import { App } from './App';
import { LanguageProvider } from './i18n/language';
import { requestPersistentStorage } from './sync/local-store';
import './ui/styles.css';

// The service worker precaches the app shell, so after one visit the app starts with no network.
// Nothing below waits on the network: data comes from IndexedDB first, the server when it can.
registerSW({ immediate: true });
requestPersistentStorage();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <LanguageProvider>
      <App />
    </LanguageProvider>
  </StrictMode>,
);
