/**
 * Signing in with a sign-in provider the municipality configured (FranceConnect's
 * protocol, OpenID Connect), against a real provider: a second Guichet, serving
 * OpenID Connect, on another host name (localhost, so that the two sites' cookies stay
 * apart). The person signs in at the provider through its own sign-in page, comes
 * back signed in, and their details come from the provider.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { heading } from './filling.mjs';
import { Guichet, axeViolations, freePort, launch } from './harness.mjs';

const SECRET = `rp-secret-${'z'.repeat(40)}`;

const providerSetup = (callback) => `
from allauth.account.models import EmailAddress
from oauth2_provider.models import get_application_model
from api.accounts.models import ClientAccess, User
marie = User.objects.create_user("marie", "marie.curie@example.org", "radium-polonium-1867",
    first_name="Marie", last_name="Curie")
EmailAddress.objects.create(user=marie, email=marie.email, verified=True, primary=True)
App = get_application_model()
rp = App.objects.create(name="Guichet de la ville", client_id="guichet-rp", client_secret="${SECRET}",
    client_type=App.CLIENT_CONFIDENTIAL, authorization_grant_type=App.GRANT_AUTHORIZATION_CODE,
    redirect_uris="${callback}", algorithm=App.RS256_ALGORITHM, skip_authorization=True)
ClientAccess.objects.create(application=rp, scopes=["openid", "profile", "email"])
`;

describe('signing in with a provider', () => {
  let provider;
  let guichet;
  let context;

  before(async () => {
    provider = new Guichet();
    provider.port = await freePort();
    const issuer = `http://localhost:${provider.port}`;
    provider.env.PUBLIC_URL = issuer;
    await provider.setUp();
    guichet = new Guichet();
    guichet.env.OIDC_PROVIDERS = JSON.stringify([{
      id: 'fc', name: 'FranceConnect (essai)', server_url: `${issuer}/o`, client_id: 'guichet-rp', secret: SECRET,
      scope: ['openid', 'profile', 'email'], verified_claims: ['given_name', 'family_name', 'email'],
    }]);
    await guichet.setUp();
    provider.manage('shell', '-c', providerSetup(`${guichet.url}/accounts/oidc/fc/login/callback/`));
    context = await launch();
  });

  after(async () => {
    await context?.close();
    await guichet?.tearDown();
    await provider?.tearDown();
  });

  it('signs in at the provider and comes back signed in, with the details the provider vouches for', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/compte/connexion?suite=${encodeURIComponent('/compte/')}`);
    await heading(page, 'Se connecter');
    await page.getByRole('button', { name: 'Se connecter avec FranceConnect (essai)' }).click();
    // At the provider: its own sign-in page, which then goes on to the authorisation.
    await page.waitForURL((url) => url.host === `localhost:${provider.port}` && url.pathname.startsWith('/compte/connexion'));
    await heading(page, 'Se connecter');
    await page.getByLabel('Adresse électronique').fill('marie.curie@example.org');
    await page.getByLabel('Mot de passe').fill('radium-polonium-1867');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    // Back at the municipality's Guichet, signed in, where the person was going.
    await heading(page, 'Mon compte');
    assert.equal(new URL(page.url()).origin, guichet.url);
    assert.equal(await page.getByLabel('Prénom').inputValue(), 'Marie');
    await page.getByText('Adresse actuelle : marie.curie@example.org').waitFor();
    assert.deepEqual(await axeViolations(page), []);
  });

  it('says so when the provider refuses, and the person can sign in another way', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/compte/connexion?error=cancelled`);
    await page.getByText('La connexion avec ce fournisseur n’a pas abouti.').waitFor();
    await page.goto(`${guichet.url}/compte/connexion?retour=1`); // a return without a session
    await page.context().clearCookies();
    await page.reload();
    await page.getByText('La connexion avec ce fournisseur n’a pas abouti.').waitFor();
    assert.ok(await page.getByLabel('Adresse électronique').isVisible());
  });
});
