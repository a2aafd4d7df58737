/**
 * The widgets on the municipality's own site: a host page served from another origin
 * (another loopback port) includes /widgets.js with one tag. Each widget renders in the
 * theme inside its shadow root (the host's CSS does not reach in; its custom properties
 * and ::part() rules do), follows the page's language, passes axe; the form is filled
 * and sent in place without an account and its tracking code shows; the tracking widget
 * then finds it. A site that is not allowed gets nothing from the API.
 */

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';

import { Guichet, axeViolations, freePort, launch, phoneScreenshot } from './harness.mjs';

const APPLY = `
from api.theme import actions
actions.apply({"name": "Bellerive-sur-Orge", "colours": {"primary": "#0a7d3b"}}, None)
`;

/** The municipality's page: its own (hostile) styles, its heading, Guichet's widgets. */
function hostPage(guichet, lang, body) {
  return `<!doctype html>
<html lang="${lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Ville de Bellerive-sur-Orge</title>
  <style>
    body { font-family: "Times New Roman", serif; margin: 1rem; }
    a, button, label, h3 { color: #ff00ff !important; background: #ffff00; font-size: 30px; }
    guichet-procedures::part(procedure) { border-color: rgb(1, 2, 3); }
    guichet-my-requests { --guichet-color-primary: #5b3a8c; }
  </style>
  <script type="module" src="${guichet.url}/widgets.js"></script>
</head>
<body>
  <header><p>Ville de Bellerive-sur-Orge</p></header>
  <main><h1>${lang === 'en' ? 'Online services' : 'Vos démarches'}</h1>${body}</main>
</body>
</html>`;
}

function serve(pages) {
  const server = http.createServer((request, response) => {
    const page = pages[new URL(request.url, 'http://x').pathname];
    if (!page) return response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const inWidget = (page, tag, selector) =>
  page.evaluate(
    ([t, s]) => document.querySelector(t)?.shadowRoot?.querySelector(s)?.textContent ?? null,
    [tag, selector],
  );

describe('Guichet’s widgets on the municipality’s site', () => {
  let guichet;
  let host;
  let stranger;
  let context;
  const requested = [];

  before(async () => {
    const hostPort = await freePort();
    guichet = new Guichet();
    guichet.env.GUICHET_EMBED_ORIGINS = `http://127.0.0.1:${hostPort}`;
    await guichet.setUp();
    guichet.manage('shell', '-c', APPLY);
    const all = `<section aria-label="Démarches"><guichet-procedures category="etat-civil-citoyennete"></guichet-procedures></section>
      <section aria-label="Formulaire"><guichet-form procedure="acte-etat-civil"></guichet-form></section>
      <section aria-label="Suivi"><guichet-tracking-lookup></guichet-tracking-lookup></section>
      <guichet-my-requests></guichet-my-requests>`;
    const pages = {
      '/': () => hostPage(guichet, 'fr', all),
      '/en': () =>
        hostPage(guichet, 'en', '<guichet-procedures></guichet-procedures><guichet-my-requests></guichet-my-requests>'),
      '/liste': () => hostPage(guichet, 'fr', '<guichet-procedures></guichet-procedures>'),
    };
    host = await new Promise((resolve) => {
      const server = http.createServer((request, response) => {
        const page = pages[new URL(request.url, 'http://x').pathname];
        if (!page) return response.writeHead(404).end();
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page());
      });
      server.listen(hostPort, '127.0.0.1', () => resolve(server));
    });
    stranger = await serve({ '/': () => hostPage(guichet, 'fr', '<guichet-procedures></guichet-procedures>') });
    context = await launch({ viewport: { width: 1024, height: 900 } });
    context.on('request', (request) => requested.push(request.url()));
  });

  after(async () => {
    await context?.close();
    await guichet?.tearDown();
    host?.close();
    stranger?.close();
  });

  const hostUrl = (path) => `http://127.0.0.1:${host.address().port}${path}`;

  it('renders each widget in the theme, shielded from the host’s styles, accessible', async () => {
    const page = await context.newPage();
    await page.goto(hostUrl('/'));
    const list = page.locator('guichet-procedures li.procedure');
    await list.first().waitFor();
    await page
      .locator('guichet-form')
      .getByRole('heading', { level: 1, name: "L'acte demandé" })
      .waitFor({ timeout: 15000 });
    const seen = await page.evaluate(() => {
      const root = (tag) => document.querySelector(tag).shadowRoot;
      const link = root('guichet-procedures').querySelector('li.procedure a');
      const badge = root('guichet-my-requests').querySelector('a');
      return {
        links: [...root('guichet-procedures').querySelectorAll('li.procedure a')].map((a) => a.href),
        categories: [...root('guichet-procedures').querySelectorAll('.tag')].map((tag) => tag.textContent),
        linkColour: getComputedStyle(link).color,
        linkSize: getComputedStyle(link).fontSize,
        font: getComputedStyle(link).fontFamily,
        part: getComputedStyle(root('guichet-procedures').querySelector('li.procedure')).borderTopColor,
        badge: getComputedStyle(badge).backgroundColor,
        badgeHref: badge.href,
      };
    });
    const origin = guichet.url;
    assert.ok(
      seen.links.length >= 2 && seen.links.every((href) => href.startsWith(`${origin}/demarches/`)),
      seen.links,
    );
    assert.deepEqual([...new Set(seen.categories)], ['État civil et citoyenneté']); // the one category asked for
    assert.equal(seen.linkColour, 'rgb(10, 125, 59)'); // the theme's primary colour, not the host's magenta
    assert.notEqual(seen.linkSize, '30px');
    assert.doesNotMatch(seen.font, /Times/);
    assert.equal(seen.part, 'rgb(1, 2, 3)'); // the host's ::part() rule reaches in
    assert.equal(seen.badge, 'rgb(91, 58, 140)'); // the host's own value of a theme property wins
    assert.equal(seen.badgeHref, `${origin}/demandes/`); // signed-in pages open in the app
    assert.deepEqual(await axeViolations(page), []);
    await phoneScreenshot(page, 'widgets-host');
    await page.close();
  });

  it('sends a procedure anonymously in place, then finds it by its tracking code', async () => {
    const before = guichet.town('count', 'acte-etat-civil').sent;
    const page = await context.newPage();
    await page.goto(hostUrl('/'));
    const form = page.locator('guichet-form');
    const h1 = (name) => form.getByRole('heading', { level: 1, name }).waitFor({ timeout: 15000 });
    await h1("L'acte demandé");
    // No "back" on the first page: the host page's history is not the form's.
    assert.equal(await form.getByRole('button', { name: 'Retour' }).count(), 0);
    await form.getByLabel('Acte de naissance').check();
    await form.getByLabel('Format').selectOption('copie_integrale');
    await form.getByLabel("La personne concernée par l'acte").check();
    await form.getByRole('button', { name: 'Continuer' }).click();
    await h1("L'événement");
    await form.getByLabel("Date de l'événement").fill('15/03/2020');
    await form.getByLabel('Noms des parents').fill('Dupont et Martin');
    await form.getByRole('button', { name: 'Continuer' }).click();
    await h1('Vos coordonnées');
    await form.getByLabel('Nom', { exact: true }).fill('Widget');
    await form.getByLabel('Prénom').fill('Anne');
    await form.getByLabel('Adresse électronique').fill('anne@example.org');
    await form.getByLabel('Numéro et voie').fill('1 rue de la Paix');
    await form.getByLabel('Code postal').fill('91200');
    await form.getByLabel('Commune').fill('Bellerive-sur-Orge');
    await form.getByRole('button', { name: 'Continuer' }).click();
    await h1(/Vérifiez vos réponses/);
    await form.getByRole('button', { name: 'Envoyer' }).click();
    await h1(/envoyée/i);
    assert.equal(new URL(page.url()).origin, new URL(hostUrl('/')).origin); // still on the municipality's page
    // The receipt: the reference, then the tracking code.
    const code = await page.evaluate(
      () =>
        document
          .querySelector('guichet-form')
          .shadowRoot.querySelector('guichet-fill')
          .shadowRoot.querySelectorAll('.code')[1].textContent,
    );
    assert.match(code, /^[A-Z0-9-]{6,}$/);
    const arrived = guichet.town('count', 'acte-etat-civil');
    assert.equal(arrived.sent, before + 1);
    assert.equal(arrived.answers.at(-1).nom, 'Widget');
    assert.deepEqual(await page.context().cookies(guichet.url), []); // no cookie of Guichet's was needed

    const lookup = page.locator('guichet-tracking-lookup');
    await lookup.getByLabel(/Code de suivi/).fill(code);
    await lookup.getByRole('button', { name: /Suivre|Rechercher|Afficher/ }).click();
    await lookup.locator('#result').waitFor();
    assert.match(await inWidget(page, 'guichet-tracking-lookup', '#result'), /acte/i);
    assert.deepEqual(await axeViolations(page), []);
    await page.close();
  });

  it('follows the host page’s language and loads the form’s code only for a form', async () => {
    const page = await context.newPage();
    requested.length = 0;
    await page.goto(hostUrl('/en'));
    await page.locator('guichet-procedures li.procedure').first().waitFor();
    assert.equal(await inWidget(page, 'guichet-procedures', 'label[for="q"]'), 'Search for a procedure');
    assert.match(await inWidget(page, 'guichet-my-requests', 'a'), /My requests/);
    const form = requested.filter((url) => /\/assets\/fill-/.test(url));
    assert.deepEqual(form, []);
    assert.deepEqual(await axeViolations(page), []);
    await page.close();
  });

  it('gives nothing to a site that is not allowed to embed Guichet', async () => {
    const page = await context.newPage();
    const refused = [];
    page.on('requestfailed', (request) => refused.push(new URL(request.url()).pathname));
    await page.goto(`http://127.0.0.1:${stranger.address().port}/`, { waitUntil: 'networkidle' });
    // The widgets' module is refused to that site (CORS), so no widget is defined there…
    assert.ok(refused.includes('/widgets.js'), refused);
    assert.equal(await page.evaluate(() => customElements.get('guichet-procedures')), undefined);
    assert.equal(await page.locator('guichet-procedures li.procedure').count(), 0);
    // …and the API answers it nothing a browser would let it read.
    const answer = await page.request.get(`${guichet.url}/api/procedures/`, {
      headers: { Origin: `http://127.0.0.1:${stranger.address().port}` },
    });
    assert.equal(answer.headers()['access-control-allow-origin'], undefined);
    await page.close();
  });

  it('has a page in the app that writes the snippet, with a live preview', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/integrer/`);
    await page.getByRole('heading', { level: 1, name: 'Intégrer Guichet à votre site' }).waitFor();
    const snippet = () => page.getByLabel('Code à coller dans votre page').inputValue();
    await page.locator('#preview guichet-procedures li.procedure').first().waitFor();
    assert.equal(
      await snippet(),
      `<script type="module" src="${guichet.url}/widgets.js"></script>\n<guichet-procedures></guichet-procedures>`,
    );
    await page.getByLabel('Catégorie').first().selectOption('etat-civil-citoyennete'); // the page's (the preview has one too)
    assert.match(await snippet(), /<guichet-procedures category="etat-civil-citoyennete"><\/guichet-procedures>$/);
    await page.getByLabel('Widget').selectOption('form');
    await page.getByLabel('Démarche', { exact: true }).selectOption('acte-etat-civil');
    assert.match(await snippet(), /<guichet-form procedure="acte-etat-civil"><\/guichet-form>$/);
    await page.locator('#preview guichet-form').getByRole('heading', { level: 1, name: "L'acte demandé" }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.setViewportSize({ width: 320, height: 800 });
    assert.ok(
      await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth),
      'nothing wider than a phone',
    );
    await phoneScreenshot(page, 'embed-page');
    await page.close();
  });
});
