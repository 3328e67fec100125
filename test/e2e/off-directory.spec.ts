import { expect, test } from '@playwright/test';
import { E2E_CAPTCHA, E2E_STAFF, E2E_STAFF_PASSWORD } from './support/env.js';
import { waitForMail } from './support/mail.js';

// La Poste's SIREN is valid but the shipped directory holds communes and EPCI
// only: the applicant goes on by naming it, and the approver adds it.
const LA_POSTE = '356000000';

test("an applicant with La Poste's SIREN completes the wizard; the approver adds La Poste to the directory, and the next colleague finds it", async ({ page, request, baseURL }) => {
  await page.goto('/#/inscription');
  await page.getByLabel('Madame').check();
  await page.getByLabel('Nom', { exact: true }).fill('Facteur');
  await page.getByLabel('Prénom', { exact: true }).fill('Sophie');
  await page.getByLabel('Fonction').fill('Responsable du développement territorial');
  await page.getByRole('button', { name: 'Suivant' }).click();

  await page.getByLabel(/Rechercher votre organisme/).fill('356 000 000');
  await expect(page.getByRole('status').filter({ hasText: "Ce SIREN est valide mais l'organisme n'est pas encore dans notre annuaire." })).toBeVisible();
  await page.getByRole('button', { name: 'Suivant' }).click();
  await expect(page.getByText("Le nom de l'organisme est obligatoire.")).toBeVisible();
  await page.getByLabel("Nom de l'organisme", { exact: true }).fill('La Poste');
  await page.getByLabel("Commune de l'organisme", { exact: true }).fill('75015 Paris');
  await page.getByRole('button', { name: 'Suivant' }).click();

  await page.getByLabel('Adresse e-mail').fill('sophie.facteur@laposte.fr');
  await page.getByLabel('Téléphone').fill('01 55 44 00 00');
  await page.getByRole('button', { name: 'Suivant' }).click();

  await expect(page.getByText("Organisme (hors annuaire, vérifié par l'ANRU)")).toBeVisible();
  await expect(page.getByText('La Poste', { exact: true })).toBeVisible();
  await expect(page.getByTestId('captcha-image')).toBeVisible();
  await page.getByLabel('Antispam').fill(E2E_CAPTCHA);
  await page.getByLabel(/J'accepte les conditions générales/).check();
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await expect(page.getByText(/soumise à l'approbation de l'ANRU/).first()).toBeVisible();

  await page.goto('/#/personnel/file');
  await page.getByLabel('Adresse e-mail').fill(E2E_STAFF.approver.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(E2E_STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const row = page.locator('tr', { has: page.getByRole('link', { name: 'Sophie Facteur' }) });
  await expect(row.getByText('Organisme hors annuaire')).toBeVisible();
  await row.getByRole('link', { name: 'Sophie Facteur' }).click();
  await expect(page.getByRole('heading', { name: 'Demande de Sophie Facteur' })).toBeVisible();
  await expect(page.getByText('Commune déclarée')).toBeVisible();

  await page.getByLabel("Catégorie juridique (nomenclature de l'INSEE)").selectOption('5599');
  await page.getByLabel("Comment l'organisme a-t-il été vérifié ?").fill("Fiche de l'annuaire des entreprises (SIREN 356 000 000)");
  await page.getByRole('button', { name: "Ajouter à l'annuaire" }).click();
  await expect(page.getByText("L'organisme « La Poste » a été ajouté à l'annuaire : la demande reste à décider.")).toBeVisible();
  await expect(page.getByText("Organisme ajouté à l'annuaire")).toBeVisible();

  await page.getByRole('button', { name: 'Approuver', exact: true }).click();
  await expect(page.getByText(/Demande approuvée/).first()).toBeVisible();
  await waitForMail(baseURL, 'sophie.facteur@laposte.fr', /Déterminez votre mot de passe/);

  for (const q of [LA_POSTE, 'la poste paris']) {
    const found = await (await request.get('/api/directory/search', { params: { q } })).json();
    expect(found.results.map((r: { siren: string }) => r.siren), q).toContain(LA_POSTE);
  }
});
