import { useEffect, useState } from 'react';

/**
 * The app has four screens, so routing is the pathname and history.pushState, no library.
 * `navigate` announces the change with a popstate event so every `usePathname` hears it.
 */

export function navigate(path: string): void {
  if (path === location.pathname) return;
  history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function usePathname(): string {
  const [pathname, setPathname] = useState(() => location.pathname);
  useEffect(() => {
    const onPopState = () => setPathname(location.pathname);
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);
  return pathname;
}
