/**
 * The app's screens and their URLs. Each screen's code is loaded when it is first
 * shown. The server answers every one of these paths with the app (api/core/views.py,
 * APP_ROUTES), so a shared, reloaded or emailed link opens the right screen.
 */

export interface Route {
  /** Matched against the whole path; named groups become the screen's params. */
  path: RegExp;
  /** The custom element that shows the screen. */
  tag: string;
  load: () => Promise<unknown>;
  /** Params the screen is always given on this path. */
  params?: Record<string, string>;
  /** The screen stays when the address moves within its routes: it is told (guichet-location) and keeps its state and focus. */
  keep?: boolean;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

const SLUG = '(?<slug>[a-z0-9]+(?:-[a-z0-9]+)*)';

export const ROUTES: Route[] = [
  { path: /^\/$/, tag: 'guichet-catalog', load: () => import('../components/catalog'), params: { home: 'true' } },
  { path: /^\/demarches\/?$/, tag: 'guichet-catalog', load: () => import('../components/catalog') },
  { path: new RegExp(`^/demarches/${SLUG}/?$`), tag: 'guichet-procedure', load: () => import('../components/procedure') },
  { path: new RegExp(`^/demarches/${SLUG}/remplir/?$`), tag: 'guichet-fill', load: () => import('../fill/fill') },
  {
    path: new RegExp(`^/demarches/${SLUG}/brouillon/(?<draft>[0-9a-f-]{36})/?$`),
    tag: 'guichet-fill',
    load: () => import('../fill/fill'),
  },
  { path: /^\/compte\/?$/, tag: 'guichet-account', load: () => import('../account/account') },
  { path: /^\/compte\/(?<mode>connexion|inscription|mot-de-passe)\/?$/, tag: 'guichet-sign-in', load: () => import('../account/sign-in') },
  // The link in the email that confirms an address (allauth's HEADLESS_FRONTEND_URLS).
  { path: /^\/compte\/verifier\/(?<key>[^/]{1,300})\/?$/, tag: 'guichet-sign-in', load: () => import('../account/sign-in'), params: { mode: 'verifier' } },
  { path: /^\/demandes\/?$/, tag: 'guichet-requests', load: () => import('../requests/requests') },
  { path: /^\/demandes\/(?<id>[0-9a-f-]{36})\/?$/, tag: 'guichet-requests', load: () => import('../requests/requests') },
  { path: /^\/suivi\/?$/, tag: 'guichet-tracking', load: () => import('../components/tracking') },
  { path: /^\/integrer\/?$/, tag: 'guichet-embed', load: () => import('../components/embed') },
  // The agents' back office: its own chunks, loaded by agents only (docs/decisions/0023).
  { path: /^\/agents\/?$/, tag: 'guichet-backoffice', load: () => import('../agents/backoffice'), keep: true },
  { path: /^\/agents\/statistiques\/?$/, tag: 'guichet-agent-stats', load: () => import('../agents/stats'), keep: true },
  { path: /^\/agents\/saisie\/?$/, tag: 'guichet-agent-desk', load: () => import('../agents/desk'), keep: true },
  { path: /^\/agents\/demandes\/(?<id>[0-9a-f-]{36})\/?$/, tag: 'guichet-backoffice', load: () => import('../agents/backoffice'), keep: true },
];

export const NOT_FOUND: Route = { path: /^$/, tag: 'guichet-not-found', load: () => import('../components/not-found') };

/** The screen for ``pathname``, or none (then the app shows that nothing is there). */
export function match(pathname: string, routes: readonly Route[] = ROUTES): Match | undefined {
  for (const route of routes) {
    const found = route.path.exec(pathname);
    if (found) return { route, params: { ...route.params, ...(found.groups ?? {}) } };
  }
  return undefined;
}

/** Whether a link to ``pathname`` is the app's to show (the rest is left to the browser: the API, the admin). */
export function isAppPath(pathname: string): boolean {
  return pathname === '/' || /^\/(demarches|compte|suivi|demandes|hors-ligne|integrer|agents)(\/|$)/.test(pathname);
}
