import { expect, test, type Page } from '@playwright/test';
import { E2E_CAPTCHA } from './support/env.js';
import { setPasswordLink, waitForMail } from './support/mail.js';

interface Applicant {
  email: string;
  lastName: string;
  firstName: string;
  search: string;
  siren: string;
  organisationName: string;
}

async function fillIdentity(page: Page, a: Applicant) {
  await page.getByLabel('Madame').check();
  await page.getByLabel('Nom', { exact: true }).fill(a.lastName);
  await page.getByLabel('Prénom', { exact: true }).fill(a.firstName);
  await page.getByLabel('Fonction').fill('Cheffe de projet renouvellement urbain');
  await page.getByRole('button', { name: 'Suivant' }).click();
}

async function chooseOrganisation(page: Page, a: Applicant) {
  await page.getByLabel(/Rechercher votre organisme/).fill(a.search);
  await page.getByTestId(`organisation-${a.siren}`).check();
  await page.getByRole('button', { name: 'Suivant' }).click();
}

async function fillContact(page: Page, a: Applicant) {
  await expect(page.getByText("Attention, l'e-mail indiqué doit être le vôtre.")).toBeVisible();
  await page.getByLabel('Adresse e-mail').fill(a.email);
  await page.getByLabel('Téléphone').fill('04 77 48 77 48');
  await page.getByRole('button', { name: 'Suivant' }).click();
}

async function confirm(page: Page, a: Applicant) {
  await expect(page.getByText(a.organisationName).first()).toBeVisible();
  await expect(page.getByTestId('captcha-image')).toBeVisible();
  await page.getByLabel('Antispam').fill(E2E_CAPTCHA);
  await page.getByLabel(/J'accepte les conditions générales/).check();
  await page.getByRole('button', { name: 'Confirmer' }).click();
}

test('a partner of a trusted organisation registers, sets a password from the email and signs in', async ({ page, baseURL }) => {
  const a: Applicant = {
    email: 'claire.martin@saint-etienne.fr',
    lastName: 'Martin',
    firstName: 'Claire',
    search: 'st etienne',
    siren: '214202186',
    organisationName: 'Saint-Étienne',
  };
  await page.goto('/');
  await page.getByRole('link', { name: 'Créer mon compte' }).first().click();
  await fillIdentity(page, a);
  await chooseOrganisation(page, a);
  await fillContact(page, a);
  await confirm(page, a);
  await expect(page.getByText(/un e-mail vous a été adressé/i).first()).toBeVisible();

  const mail = await waitForMail(baseURL, a.email, /Déterminez votre mot de passe/);
  await page.goto(setPasswordLink(mail));
  await page.getByLabel('Mot de passe', { exact: true }).fill('Renouveau-Urbain-2026');
  await page.getByLabel('Confirmation du mot de passe').fill('Renouveau-Urbain-2026');
  await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
  await expect(page.getByRole('heading', { name: /C'est fini/ })).toBeVisible();

  await page.getByRole('link', { name: 'Se connecter' }).or(page.getByRole('button', { name: 'Se connecter' })).first().click();
  await page.getByLabel('Adresse e-mail').fill(a.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill('Renouveau-Urbain-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByText(/Bonjour Claire Martin/)).toBeVisible();

  // The link is spent: opening it again says so and offers a new one.
  await page.goto(setPasswordLink(mail));
  await expect(page.getByText(/déjà été utilisé/).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Recevoir un nouveau lien' })).toBeVisible();
});

test('a request from an organisation outside the trust domain ends pending approval', async ({ page, baseURL }) => {
  const a: Applicant = {
    email: 'paul.durand@quartiers-solidaires.org',
    lastName: 'Durand',
    firstName: 'Paul',
    search: 'quartiers solidaires',
    siren: '775672272',
    organisationName: 'Association Quartiers Solidaires',
  };
  await page.goto('/#/inscription');
  await fillIdentity(page, a);
  await chooseOrganisation(page, a);
  await fillContact(page, a);
  await confirm(page, a);
  await expect(page.getByText(/approbation de l'ANRU/).first()).toBeVisible();
  await waitForMail(baseURL, a.email, /en cours de validation/);
});

test('the draft survives a reload and Back/Next keep what was typed', async ({ page }) => {
  await page.goto('/#/inscription');
  await page.getByLabel('Monsieur').check();
  await page.getByLabel('Nom', { exact: true }).fill('Lefèvre');
  await page.getByLabel('Prénom', { exact: true }).fill('Jean-Éric');
  await page.getByLabel('Fonction').fill('Directeur');
  await page.reload();
  await expect(page.getByLabel('Nom', { exact: true })).toHaveValue('Lefèvre');
  await expect(page.getByLabel('Monsieur')).toBeChecked();
  await page.getByRole('button', { name: 'Suivant' }).click();
  await page.getByRole('button', { name: 'Précédent' }).click();
  await expect(page.getByLabel('Prénom', { exact: true })).toHaveValue('Jean-Éric');
});

test('a SIREN with a wrong check digit is refused with a message saying so', async ({ page }) => {
  await page.goto('/#/inscription');
  await fillIdentity(page, { email: '', lastName: 'Petit', firstName: 'Lou', search: '', siren: '', organisationName: '' });
  await page.getByLabel(/Rechercher votre organisme/).fill('214 202 187');
  await expect(page.getByText(/clé de contrôle/).first()).toBeVisible();
});

test('a wrong captcha answer is refused, a new image is shown, and nothing is lost', async ({ page }) => {
  const a: Applicant = {
    email: 'lea.bernard@saint-etienne.fr',
    lastName: 'Bernard',
    firstName: 'Léa',
    search: '214202186',
    siren: '214202186',
    organisationName: 'Saint-Étienne',
  };
  await page.goto('/#/inscription');
  await fillIdentity(page, a);
  await chooseOrganisation(page, a);
  await fillContact(page, a);
  const firstImage = await page.getByTestId('captcha-image').getAttribute('src');
  await page.getByLabel('Antispam').fill(E2E_CAPTCHA.toLowerCase());
  await page.getByLabel(/J'accepte les conditions générales/).check();
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await expect(page.getByText(/majuscules et minuscules/).first()).toBeVisible();
  await expect(page.getByTestId('captcha-image')).not.toHaveAttribute('src', firstImage!);
  await expect(page.getByLabel('Antispam')).toHaveValue('');
  await page.getByLabel('Antispam').fill(E2E_CAPTCHA);
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await expect(page.getByText(/un e-mail vous a été adressé/i).first()).toBeVisible();
});
