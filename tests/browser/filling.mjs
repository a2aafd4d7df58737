/** What the filling and outbox browser tests share: reading the filling screen, and the civil-status form filled in. */

import assert from 'node:assert/strict';

export const SLUG = 'acte-etat-civil';

/** The focused element, looking inside shadow roots. */
export const focused = (page) =>
  page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return {
      tag: element?.tagName.toLowerCase(),
      text: (element?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      label: (element?.labels?.[0]?.textContent ?? element?.getAttribute('aria-label') ?? '').replace(/\s+/g, ' ').trim(),
      className: String(element?.className ?? ''),
      type: element?.getAttribute('type') ?? '',
    };
  });

/** Presses Tab until the focused element matches; fails after 60 presses. */
export async function tabTo(page, matches, what) {
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    if (matches(await focused(page))) return;
  }
  assert.fail(`Tab never reached ${what}`);
}

export const labelled = (text) => (f) => f.label.startsWith(text);
export const named = (text) => (f) => f.text === text;

export const inside = (page, selector) =>
  page.evaluate(
    (s) => [...document.querySelector('guichet-fill').shadowRoot.querySelectorAll(s)].map((e) => e.textContent.replace(/\s+/g, ' ').trim()),
    selector,
  );

export const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 15000 });

/** The whole form of the civil-status procedure, filled with the mouse (the keyboard test does it by hand). */
export async function fillActe(page, guichet, name) {
  await page.goto(`${guichet.url}/demarches/${SLUG}/remplir/`);
  await heading(page, /./);
  await forgetDevice(page); // a draft left by an earlier test would be resumed
  await page.reload();
  await heading(page, 'L\'acte demandé');
  await page.getByLabel('Acte de naissance').check();
  await page.getByLabel('Format').selectOption('copie_integrale');
  await page.getByLabel('La personne concernée par l\'acte').check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await heading(page, 'L\'événement');
  await page.getByLabel('Date de l\'événement').fill('15/03/2020');
  await page.getByLabel('Noms des parents').fill('Dupont et Martin');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await heading(page, 'Vos coordonnées');
  await page.getByLabel('Nom', { exact: true }).fill(name);
  await page.getByLabel('Prénom').fill('Anne');
  await page.getByLabel('Adresse électronique').fill('anne@example.org');
  await page.getByLabel('Numéro et voie').fill('1 rue de la Paix');
  await page.getByLabel('Code postal').fill('91200');
  await page.getByLabel('Commune').fill('Bellerive-sur-Orge');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await heading(page, /Vérifiez vos réponses/);
}

/** Deletes what the app keeps on the device (done once the page's own connection closes, at the reload that follows). */
export const forgetDevice = (page) =>
  page.evaluate(() => new Promise((resolve) => {
    const deletion = indexedDB.deleteDatabase('guichet');
    deletion.onsuccess = resolve;
    deletion.onblocked = resolve;
  }));

/** What the device's outbox holds for this procedure. */
export const outbox = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('guichet');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('drafts').objectStore('drafts').getAll();
          all.onsuccess = () => resolve(all.result.map((d) => ({ delivery: d.delivery, reference: d.reference, trackingCode: d.trackingCode, slug: d.slug })));
        };
      }),
  );

