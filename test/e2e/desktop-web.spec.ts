import { expect, test, type Page } from '@playwright/test';
import { E2E_CAPTCHA, E2E_STAFF, E2E_STAFF_PASSWORD } from './support/env.js';
import { serviceSwitch, switchPort } from './support/service-switch.js';

// The renderer as the desktop shell runs it, driven in a plain browser: web
// mode stands in for the shell (its outbox in localStorage instead of files),
// and ?kiosque=1 makes the browser a kiosk.

const ASSOCIATION = { search: 'quartiers solidaires', siren: '775672272' };

async function fillIdentity(page: Page, lastName: string, firstName: string): Promise<void> {
  await page.getByLabel('Madame').check();
  await page.getByLabel('Nom', { exact: true }).fill(lastName);
  await page.getByLabel('Prénom', { exact: true }).fill(firstName);
  await page.getByLabel('Fonction').fill('Chargée de mission');
  await page.getByRole('button', { name: 'Suivant' }).click();
}

async function chooseAssociation(page: Page, searchLabel: RegExp): Promise<void> {
  await page.getByLabel(searchLabel).fill(ASSOCIATION.search);
  await page.getByTestId(`organisation-${ASSOCIATION.siren}`).check();
  await page.getByRole('button', { name: 'Suivant' }).click();
}

async function fillContact(page: Page, email: string): Promise<void> {
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Téléphone').fill('04 72 10 30 30');
  await page.getByRole('button', { name: 'Suivant' }).click();
}

test('an agent\'s phone registration is kept while the service is away, counted, and sent when it is back', async ({ page, baseURL }, testInfo) => {
  const service = await serviceSwitch(baseURL!, switchPort(testInfo.project.name));
  try {
    await page.goto(`${service.url}/#/connexion`);
    await page.getByLabel('Adresse e-mail').fill(E2E_STAFF.agent.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(E2E_STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByTestId('service-state')).toHaveText('En ligne');

    await page.getByRole('link', { name: 'Inscription par téléphone' }).first().click();
    await fillIdentity(page, 'Horsligne', 'Camille');
    await chooseAssociation(page, /Rechercher l'organisme de la personne/);
    await fillContact(page, 'camille.horsligne@quartiers-solidaires.org');
    await page.getByLabel("La personne a pris connaissance des conditions générales d'utilisation et les accepte").check();

    await service.stop();
    await page.getByRole('button', { name: 'Enregistrer la demande' }).click();
    await expect(page.getByRole('heading', { name: 'Demande enregistrée sur ce poste — envoi au retour du service' })).toBeVisible();
    await expect(page.getByTestId('offline-banner')).toContainText('Le service est injoignable.');
    await expect(page.getByTestId('service-state')).toHaveText('Hors ligne');
    await expect(page.getByTestId('outbox-pending')).toHaveText("1 demande en attente d'envoi");

    await service.start();
    await expect(page.getByTestId('service-state')).toHaveText('En ligne', { timeout: 15_000 });
    await expect(page.getByTestId('offline-banner')).toHaveCount(0);
    await expect(page.getByTestId('outbox-pending')).toHaveCount(0, { timeout: 15_000 });

    // Sent once, and recorded as the agent's.
    await page.getByRole('link', { name: 'Rechercher' }).first().click();
    await page.getByLabel('Nom, adresse e-mail ou SIREN').fill('camille.horsligne');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect(page.getByRole('link', { name: /Camille Horsligne/ })).toHaveCount(1);
    await page.getByRole('link', { name: /Camille Horsligne/ }).click();
    await expect(page.getByText(/Arnaud Accueil/).first()).toBeVisible();
  } finally {
    await service.stop();
  }
});

test('a kiosk shows only the wizard, and wipes it after a completed request and after a few idle minutes', async ({ page }) => {
  await page.clock.install();
  await page.goto('/?kiosque=1#/');
  await expect(page.getByRole('heading', { name: 'Créer son compte utilisateur ANRU', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Se connecter' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'anru.fr' })).toHaveCount(0);
  // Nothing else is reachable from a kiosk.
  await page.goto('/?kiosque=1#/personnel/file');
  await expect(page).toHaveURL(/\?kiosque=1#\/$/);

  await page.getByRole('link', { name: 'Créer mon compte' }).first().click();
  await fillIdentity(page, 'Borne', 'Alice');
  await chooseAssociation(page, /Rechercher votre organisme/);
  await fillContact(page, 'alice.borne@quartiers-solidaires.org');
  // A new image clears the answer: type it once the image is there.
  await expect(page.getByTestId('captcha-image')).toBeVisible();
  await page.getByLabel('Antispam').fill(E2E_CAPTCHA);
  await page.getByLabel(/J'accepte les conditions générales/).check();
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await expect(page.getByText(/approbation de l'ANRU/).first()).toBeVisible();
  await expect(page.getByText('alice.borne@quartiers-solidaires.org')).toBeVisible();
  await expect(page.getByText(/Cet écran sera effacé dans \d+ s pour la personne suivante\./)).toBeVisible();

  // The outcome (with the applicant's address on it) goes after its countdown, whatever the activity meanwhile.
  await page.mouse.move(10, 10);
  await page.clock.fastForward(31_000);
  await expect(page).toHaveURL(/\?kiosque=1#\/$/);
  await expect(page.getByText('alice.borne@quartiers-solidaires.org')).toHaveCount(0);
  expect(await page.evaluate('window.sessionStorage.length')).toBe(0);

  // The next applicant starts from a blank wizard, and leaves it: a countdown, then it is wiped.
  await page.getByRole('link', { name: 'Créer mon compte' }).first().click();
  await expect(page.getByLabel('Nom', { exact: true })).toHaveValue('');
  await page.getByLabel('Nom', { exact: true }).fill('Distraite');
  await page.clock.fastForward('02:31');
  const stillThere = page.getByRole('dialog', { name: 'Êtes-vous toujours là ?' });
  await expect(stillThere).toBeVisible();
  await expect(stillThere.getByTestId('kiosk-countdown')).toHaveText(/^(29|30) s$/);
  await page.clock.fastForward(30_000);
  await expect(page).toHaveURL(/\?kiosque=1#\/$/);
  expect(await page.evaluate('window.sessionStorage.length')).toBe(0);
  await page.getByRole('link', { name: 'Créer mon compte' }).first().click();
  await expect(page.getByLabel('Nom', { exact: true })).toHaveValue('');
});
