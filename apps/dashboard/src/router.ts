import { useEffect, useState } from 'react';
import { decodeOrRaw } from './logic/uri.js';

export const ROUTES = ['hosts', 'descriptors', 'instances', 'chains', 'operations'] as const;
export type RouteName = (typeof ROUTES)[number];

export interface Route {
  name: RouteName;
  /** What follows the page name: `#/chains/<id>` gives ['<id>']. */
  params: string[];
}

export function parseHash(hash: string): Route {
  const [name, ...params] = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeOrRaw);
  return { name: (ROUTES as readonly string[]).includes(name) ? (name as RouteName) : 'hosts', params };
}

export const href = (name: RouteName, ...params: string[]): string => `#/${[name, ...params.map(encodeURIComponent)].join('/')}`;

export const navigate = (name: RouteName, ...params: string[]): void => {
  window.location.hash = href(name, ...params);
};

/** A tiny hash router: the page follows location.hash. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
