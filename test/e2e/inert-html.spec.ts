/// <reference lib="dom" />
import { expect, test, type Page } from '@playwright/test';
import { E2E_CAPTCHA, E2E_STAFF, E2E_STAFF_PASSWORD } from './support/env.js';

// Text a person typed is shown as text, wherever it appears: the job title
// (the one identity field that accepts "<" and ">") in the applicant's recap
// and on the approver's request page, and a rejection comment. Markup that
// became elements would carry data-injected; a handler that ran would set
// window.__xss. (The CSP would block inline handlers anyway: the DOM check is
// what shows the text was never turned into markup.)
const JOB_TITLE = '<img src=x data-injected onerror="window.__xss=1">Cheffe <b data-injected>de</b> projet';
const COMMENT = '<script data-injected>window.__xss=2</script><a data-injected href="https://example.org">cliquez</a>';

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== 'sqlite', 'rendering does not depend on the database; storage of such text is checked on both by the API tests');
});

async function expectInert(page: Page, shown: string): Promise<void> {
  await expect(page.getByText(shown, { exact: true }).first()).toBeVisible();
  await expect(page.locator('[data-injected]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as Window & { __xss?: number }).__xss)).toBeUndefined();
}

test('HTML typed in the wizard is shown as text to the applicant and to the approver, as is a rejection comment', async ({ page }) => {
  await page.goto('/#/inscription');
  await page.getByLabel('Madame').check();
  await page.getByLabel('Nom', { exact: true }).fill('Balise');
  await page.getByLabel('Prénom', { exact: true }).fill('Bérénice');
  await page.getByLabel('Fonction').fill(JOB_TITLE);
  await page.getByRole('button', { name: 'Suivant' }).click();
  await page.getByLabel(/Rechercher votre organisme/).fill('quartiers solidaires');
  await page.getByTestId('organisation-775672272').check();
  await page.getByRole('button', { name: 'Suivant' }).click();
  await page.getByLabel('Adresse e-mail').fill('berenice.balise@quartiers-solidaires.org');
  await page.getByLabel('Téléphone').fill('04 72 10 30 30');
  await page.getByRole('button', { name: 'Suivant' }).click();

  // The recap of step 4 shows the job title as typed.
  await expect(page.getByTestId('captcha-image')).toBeVisible();
  await expectInert(page, JOB_TITLE);
  await page.getByLabel('Antispam').fill(E2E_CAPTCHA);
  await page.getByLabel(/J'accepte les conditions générales/).check();
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await expect(page.getByText(/approbation de l'ANRU/).first()).toBeVisible();

  // The approver's request page shows it as typed too.
  await page.goto('/#/personnel/file');
  await page.getByLabel('Adresse e-mail').fill(E2E_STAFF.approver.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(E2E_STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('link', { name: 'Bérénice Balise' }).click();
  await expect(page.getByRole('heading', { name: 'Demande de Bérénice Balise' })).toBeVisible();
  await expectInert(page, JOB_TITLE);

  // So is a rejection comment with markup in it, on the request page once decided.
  const requestPage = page.url();
  await page.getByRole('button', { name: 'Rejeter', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Rejeter la demande' });
  await dialog.getByRole('radio').first().check();
  await dialog.getByLabel('Commentaire (facultatif)').fill(COMMENT);
  await dialog.getByRole('button', { name: 'Rejeter la demande' }).click();
  await expect(page.getByText(/Demande rejetée/).first()).toBeVisible();
  await page.goto(requestPage);
  await expectInert(page, COMMENT);
  await expectInert(page, JOB_TITLE);
});
