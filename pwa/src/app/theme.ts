/**
 * The municipality's theme in the shell: its name and logo in the header, its links
 * (legal notice, accessibility statement, privacy, contact) in the footer, its primary
 * colour for the browser's bar and its icon as the favicon. The colours and fonts
 * themselves come with /api/theme.css; this reads /api/theme/ (kept by the service
 * worker, so offline the app still wears the municipality's look).
 */

import type { components } from '../api/schema';
import { t } from '../i18n';

export type Theme = components['schemas']['Theme'];

/** Fills the shell from ``theme``; returns the site's name (for page titles). */
export function showTheme(theme: Theme): string {
  const name = theme.name || 'Guichet';
  const siteName = document.querySelector('.site-name');
  if (siteName) {
    const home = document.createElement('a');
    home.href = '/';
    home.className = 'site-home';
    if (theme.logo) {
      const logo = document.createElement('img');
      logo.src = theme.logo;
      logo.alt = ''; // the name beside it says it
      logo.className = 'site-logo';
      logo.height = 40;
      home.append(logo);
    }
    home.append(name);
    siteName.replaceChildren(home);
  }
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', theme.colours.primary ?? '');
  const icon = theme.icons.at(-1);
  if (icon) {
    for (const old of document.querySelectorAll('link[rel="icon"]')) old.remove();
    const link = document.createElement('link');
    link.rel = 'icon';
    link.href = icon.src;
    link.type = icon.type;
    link.sizes.value = icon.sizes;
    document.head.append(link);
  }
  const footer = document.getElementById('site-footer');
  if (footer) {
    const nav = document.createElement('nav');
    nav.setAttribute('aria-label', t.footerLabel);
    const list = document.createElement('ul');
    for (const item of theme.links) {
      const link = document.createElement('a');
      link.href = item.url;
      link.textContent = item.label;
      const entry = document.createElement('li');
      entry.append(link);
      list.append(entry);
    }
    const about = document.createElement('p');
    const embed = document.createElement('a');
    embed.href = '/integrer/';
    embed.textContent = t.footerEmbed;
    about.append(`${name} · ${t.footerPoweredBy} · `, embed);
    nav.append(list);
    footer.replaceChildren(...(theme.links.length ? [nav, about] : [about]));
  }
  return name;
}

/** Reads the served theme and shows it; the shell keeps its defaults if it cannot. */
export async function loadTheme(): Promise<Theme | undefined> {
  try {
    const response = await fetch('/api/theme/', {
      headers: { Accept: 'application/json' },
    });
    if (!response.ok) return undefined;
    return (await response.json()) as Theme;
  } catch {
    return undefined;
  }
}
