import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { E2E_CAPTCHA, E2E_STAFF, E2E_STAFF_PASSWORD } from './support/env.js';
import { setPasswordLink, waitForMail } from './support/mail.js';

const ASSOCIATION = '775672272';

/** A request (by default from the association, outside the trust domain), sent through the public API as a browser would. */
async function pendingRequest(request: APIRequestContext, firstName: string, lastName: string, email: string, siren = ASSOCIATION) {
  const captcha = await (await request.post('/api/captcha')).json();
  const res = await request.post('/api/registrations', {
    data: {
      identity: { civility: 'Mme', lastName, firstName, jobTitle: 'Chargée de mission', quartiersFertiles: false },
      organisation: { siren },
      contact: { email, phone: '04 72 10 30 30' },
      confirm: { captchaId: captcha.id, captchaAnswer: E2E_CAPTCHA, termsAccepted: true },
    },
  });
  expect(res.status()).toBe(202);
  return ((await res.json()) as { outcome: string }).outcome;
}

async function signIn(page: Page, email: string) {
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(E2E_STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

test('an approver rejects one request with a reason and approves another; the approved applicant sets a password', async ({ page, request, baseURL }) => {
  await pendingRequest(request, 'Rose', 'Rejet', 'rose.rejet@quartiers-solidaires.org');
  await pendingRequest(request, 'Alix', 'Accord', 'alix.accord@quartiers-solidaires.org');

  await page.goto('/#/personnel/file');
  await signIn(page, E2E_STAFF.approver.email);
  await expect(page.getByRole('heading', { name: "File d'attente des demandes" })).toBeVisible();

  await page.getByRole('link', { name: 'Rose Rejet' }).click();
  await expect(page.getByRole('heading', { name: 'Demande de Rose Rejet' })).toBeVisible();
  await page.getByRole('button', { name: 'Rejeter', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Rejeter la demande' });
  await dialog.getByRole('radio').first().check();
  await dialog.getByLabel('Commentaire (facultatif)').fill('Merci de passer par votre référent ANRU.');
  await dialog.getByRole('button', { name: 'Rejeter la demande' }).click();
  await expect(page.getByText(/Demande rejetée/).first()).toBeVisible();
  const rejection = await waitForMail(baseURL, 'rose.rejet@quartiers-solidaires.org', /n'a pas été acceptée/);
  expect(rejection.text).toContain('Merci de passer par votre référent ANRU.');

  await page.goto('/#/personnel/file');
  await page.getByRole('link', { name: 'Alix Accord' }).click();
  await expect(page.getByRole('heading', { name: 'Demande de Alix Accord' })).toBeVisible();
  // Keyboard only: "a" asks for confirmation, Enter confirms.
  await page.locator('body').press('a');
  await expect(page.getByRole('dialog', { name: 'Approuver cette demande ?' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/Demande approuvée/).first()).toBeVisible();

  const invitation = await waitForMail(baseURL, 'alix.accord@quartiers-solidaires.org', /Déterminez votre mot de passe/);
  await page.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
  await page.goto(setPasswordLink(invitation));
  await page.getByLabel('Mot de passe', { exact: true }).fill('Quartiers-Solidaires-2026');
  await page.getByLabel('Confirmation du mot de passe').fill('Quartiers-Solidaires-2026');
  await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
  await expect(page.getByRole('heading', { name: /C'est fini/ })).toBeVisible();
});

test("an approver verifies a commune's email domain while approving: the next colleague with that domain passes on their own", async ({ page, request }) => {
  const SAINT_ETIENNE = '214202186';
  expect(await pendingRequest(request, 'Prune', 'Premiere', 'prune.premiere@ville-e2e.fr', SAINT_ETIENNE)).toBe('pending_approval');

  await page.goto('/#/personnel/file');
  await signIn(page, E2E_STAFF.approver.email);
  await page.getByRole('link', { name: 'Prune Premiere' }).click();
  await expect(page.getByRole('heading', { name: 'Demande de Prune Premiere' })).toBeVisible();
  await expect(page.getByText("le domaine ville-e2e.fr n'est pas vérifié pour cet organisme")).toBeVisible();
  await expect(page.getByText('Non vérifié pour cet organisme')).toBeVisible();
  const verify = page.getByLabel(/Vérifier le domaine ville-e2e\.fr pour Saint-Étienne en approuvant/);
  await expect(verify).toBeChecked();
  await page.getByRole('button', { name: 'Approuver', exact: true }).click();
  await expect(page.getByText(/Demande approuvée/).first()).toBeVisible();

  expect(await pendingRequest(request, 'Colin', 'Collegue', 'colin.collegue@ville-e2e.fr', SAINT_ETIENNE)).toBe('invitation_sent');
});

test('an agent registers a caller by phone, without captcha, and finds the request', async ({ page, baseURL }) => {
  await page.goto('/#/connexion');
  await signIn(page, E2E_STAFF.agent.email);
  await page.getByRole('link', { name: 'Inscription par téléphone' }).first().click();

  await page.getByLabel('Monsieur').check();
  await page.getByLabel('Nom', { exact: true }).fill('Appelant');
  await page.getByLabel('Prénom', { exact: true }).fill('Marc');
  await page.getByLabel('Fonction').fill('Directeur de projet');
  await page.getByRole('button', { name: 'Suivant' }).click();
  await page.getByLabel(/Rechercher l'organisme de la personne/).fill('st etienne');
  await page.getByTestId('organisation-214202186').check();
  await page.getByRole('button', { name: 'Suivant' }).click();
  await page.getByLabel('Adresse e-mail').fill('marc.appelant@saint-etienne.fr');
  await page.getByLabel('Téléphone').fill('04 77 48 77 48');
  await page.getByRole('button', { name: 'Suivant' }).click();
  await expect(page.getByTestId('captcha-image')).toHaveCount(0);
  await page.getByLabel("La personne a pris connaissance des conditions générales d'utilisation et les accepte").check();
  await page.getByRole('button', { name: 'Enregistrer la demande' }).click();
  await expect(page.getByText(/Demande enregistrée/).first()).toBeVisible();
  await waitForMail(baseURL, 'marc.appelant@saint-etienne.fr', /Déterminez votre mot de passe/);

  await page.getByRole('link', { name: 'Rechercher' }).first().click();
  await page.getByLabel('Nom, adresse e-mail ou SIREN').fill('marc.appelant');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByRole('link', { name: /Marc Appelant/ }).first().click();
  await expect(page.getByText(/Arnaud Accueil/).first()).toBeVisible();
  await expect(page.getByRole('button', { name: "Renvoyer l'invitation" })).toBeVisible();
});
