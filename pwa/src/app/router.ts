/**
 * Moving between the app's screens without reloading: links to the app's paths are
 * followed here (history.pushState), the back and forward buttons too. After each
 * move the new screen's main heading takes the focus and names the page, as a page
 * load would for a screen reader (RGAA 12.x, WCAG 2.4.2 and 2.4.3).
 */

import { NOT_FOUND, isAppPath, match } from './routes';

export interface Screen extends HTMLElement {
  params?: Record<string, string>;
  updateComplete?: Promise<unknown>;
  /** Settles once the screen shows its content (or why it cannot): its heading is final. */
  ready?: Promise<unknown>;
}

const NAVIGATE = 'guichet-navigate';

/** Asks the app's router to show another of its screens (from a screen, once its work is done). */
export function go(url: string): void {
  window.dispatchEvent(new CustomEvent(NAVIGATE, { detail: url }));
}

export class Router {
  private shown = 0;

  constructor(
    private readonly outlet: HTMLElement,
    private siteName: string,
  ) {}

  /** The municipality's name, once the theme is read (page titles end with it). */
  rename(siteName: string): void {
    this.siteName = siteName;
    const [page] = document.title.split(' – ');
    document.title = page && page !== document.title ? `${page} – ${siteName}` : siteName;
  }

  start(): void {
    document.addEventListener('click', (event) => this.onClick(event));
    window.addEventListener(NAVIGATE, (event) => this.navigate((event as CustomEvent<string>).detail));
    window.addEventListener('popstate', () => void this.show(false));
    void this.show(false);
  }

  navigate(url: string, { replace = false }: { replace?: boolean } = {}): void {
    const kept = this.keeps(new URL(url, location.href).pathname);
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    if (!kept) window.scrollTo(0, 0);
    void this.show(true);
  }

  /** Whether the screen shown now stays for ``pathname`` (a route that keeps its screen, same element). */
  private keeps(pathname: string): boolean {
    const route = match(pathname)?.route;
    const current = this.outlet.firstElementChild;
    return Boolean(route?.keep && current && current.localName === route.tag);
  }

  private onClick(event: MouseEvent): void {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
    if (!link || (link.target && link.target !== '_self') || link.hasAttribute('download')) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || !isAppPath(url.pathname)) return;
    event.preventDefault();
    if (url.pathname === location.pathname && url.search === location.search) return;
    this.navigate(url.pathname + url.search + url.hash);
  }

  private async show(moved: boolean): Promise<void> {
    const turn = ++this.shown;
    const found = match(location.pathname);
    const route = found?.route ?? NOT_FOUND;
    await route.load();
    if (turn !== this.shown) return; // a later move won
    const current = this.outlet.firstElementChild as Screen | null;
    let screen: Screen;
    if (current && current.localName === route.tag && route.keep) {
      // The screen reads the address itself and keeps its place and focus.
      screen = current;
      screen.params = found?.params ?? {};
      screen.dispatchEvent(new CustomEvent('guichet-location'));
      return;
    }
    if (current && current.localName === route.tag && route.tag === 'guichet-catalog') {
      screen = current; // the catalog reads its search from the address itself
      screen.params = found?.params ?? {};
      screen.dispatchEvent(new CustomEvent('guichet-location'));
    } else {
      screen = document.createElement(route.tag) as Screen;
      screen.params = found?.params ?? {};
      this.outlet.replaceChildren(screen);
    }
    await screen.updateComplete;
    await screen.ready;
    if (turn !== this.shown) return;
    const heading = (screen.shadowRoot ?? screen).querySelector('h1');
    const name = heading?.textContent?.trim();
    document.title = name ? `${name} – ${this.siteName}` : this.siteName;
    if (moved && heading instanceof HTMLElement) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }
}
