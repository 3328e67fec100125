/// <reference lib="dom" />
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { tabTo, typeInto } from './support/keyboard.js';
import { E2E_CAPTCHA, E2E_STAFF, E2E_STAFF_PASSWORD } from './support/env.js';
import { setPasswordLink, waitForMail } from './support/mail.js';

// Accessibility of every page an applicant or an approver goes through:
// axe-core (WCAG 2.x A and AA rules) finds no serious or critical violation,
// the browser reports no content-security-policy violation, and the wizard
// is completed with the keyboard alone. The pages do not depend on the
// database: this runs once, against the SQLite service.
test.beforeEach(({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'sqlite', 'the same pages on both databases');
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  (page as Page & { cspViolations?: string[] }).cspViolations = violations;
});

async function expectAccessible(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}) : ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(serious, `axe on ${name}`).toEqual([]);
  expect((page as Page & { cspViolations?: string[] }).cspViolations ?? [], `CSP on ${name}`).toEqual([]);
}

test('the wizard, its outcome and the set-password page have no serious accessibility violation', async ({ page, baseURL }) => {
  const email = 'axe.accessible@saint-etienne.fr';
  await page.goto('/');
  await expectAccessible(page, 'home');

  await page.goto('/#/inscription');
  await expect(page.getByLabel('Nom', { exact: true })).toBeVisible();
  await expectAccessible(page, 'step 1, identity');
  await page.getByRole('button', { name: 'Suivant' }).click();
  await expect(page.getByText('Le nom est obligatoire.').first()).toBeVisible();
  await expectAccessible(page, 'step 1 with its errors shown');

  await page.getByLabel('Madame').check();
  await page.getByLabel('Nom', { exact: true }).fill('Accessible');
  await page.getByLabel('Prénom', { exact: true }).fill('Alice');
  await page.getByLabel('Fonction').fill('Chargée de mission');
  await page.getByRole('button', { name: 'Suivant' }).click();

  await page.getByLabel(/Rechercher votre organisme/).fill('st etienne');
  await expect(page.getByTestId('organisation-214202186')).toBeVisible();
  await expectAccessible(page, 'step 2, organisation, with results');
  await page.getByTestId('organisation-214202186').check();
  await page.getByRole('button', { name: 'Suivant' }).click();

  await expect(page.getByLabel('Adresse e-mail')).toBeVisible();
  await expectAccessible(page, 'step 3, contact');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Téléphone').fill('04 77 48 77 48');
  await page.getByRole('button', { name: 'Suivant' }).click();

  await expect(page.getByTestId('captcha-image')).toBeVisible();
  await expectAccessible(page, 'step 4, captcha and terms');
  await page.getByLabel('Antispam').fill(E2E_CAPTCHA.toLowerCase());
  await page.getByLabel(/J'accepte les conditions générales/).check();
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await expect(page.getByText(/majuscules et minuscules/).first()).toBeVisible();
  await expectAccessible(page, 'step 4 with a wrong captcha answer');
  await page.getByLabel('Antispam').fill(E2E_CAPTCHA);
  await page.getByRole('button', { name: 'Confirmer' }).click();

  await expect(page.getByText(/un e-mail vous a été adressé/i).first()).toBeVisible();
  await expectAccessible(page, 'outcome');

  const mail = await waitForMail(baseURL, email, /Déterminez votre mot de passe/);
  await page.goto(setPasswordLink(mail));
  await expect(page.getByLabel('Mot de passe', { exact: true })).toBeVisible();
  await expectAccessible(page, 'set-password');
  await page.getByLabel('Mot de passe', { exact: true }).fill('court');
  await page.getByLabel('Confirmation du mot de passe').fill('autre');
  await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
  await expectAccessible(page, 'set-password with its errors shown');
});

test('the organisation step has no serious accessibility violation when it suggests a spelling or asks for an organisation outside the directory', async ({ page }) => {
  await page.goto('/#/inscription');
  await page.getByLabel('Madame').check();
  await page.getByLabel('Nom', { exact: true }).fill('Accessible');
  await page.getByLabel('Prénom', { exact: true }).fill('Bruno');
  await page.getByLabel('Fonction').fill('Chargé de mission');
  await page.getByRole('button', { name: 'Suivant' }).click();

  await page.getByLabel(/Rechercher votre organisme/).fill('sant etienne');
  await expect(page.getByRole('button', { name: 'saint etienne' })).toBeVisible();
  await expectAccessible(page, 'step 2 with a spelling suggestion and the filters');
  await page.getByRole('button', { name: 'saint etienne' }).click();
  await expect(page.getByTestId('organisation-214202186')).toBeVisible();

  await page.getByLabel(/Rechercher votre organisme/).fill('356 000 000');
  await expect(page.getByRole('status').filter({ hasText: "Ce SIREN est valide mais l'organisme n'est pas encore dans notre annuaire." })).toBeVisible();
  await page.getByRole('button', { name: 'Suivant' }).click();
  await expect(page.getByText("Le nom de l'organisme est obligatoire.")).toBeVisible();
  await expectAccessible(page, 'step 2, organisation outside the directory, with its errors shown');
});

test('sign-in, the approval queue and a request page have no serious accessibility violation', async ({ page, request }) => {
  const captcha = await (await request.post('/api/captcha')).json();
  const registered = await request.post('/api/registrations', {
    data: {
      identity: { civility: 'M.', lastName: 'Attente', firstName: 'Axel', jobTitle: 'Chargé de mission', quartiersFertiles: false },
      organisation: { siren: '775672272' },
      contact: { email: 'axel.attente@quartiers-solidaires.org', phone: '04 72 10 30 30' },
      confirm: { captchaId: captcha.id, captchaAnswer: E2E_CAPTCHA, termsAccepted: true },
    },
  });
  expect(registered.status()).toBe(202);
  const offDirectoryCaptcha = await (await request.post('/api/captcha')).json();
  const offDirectory = await request.post('/api/registrations', {
    data: {
      identity: { civility: 'Mme', lastName: 'Horsannuaire', firstName: 'Hélène', jobTitle: 'Chargée de mission', quartiersFertiles: false },
      organisation: { siren: '356000000', offDirectory: { name: 'La Poste', commune: '75015 Paris' } },
      contact: { email: 'helene.horsannuaire@laposte.fr', phone: '01 55 44 00 00' },
      confirm: { captchaId: offDirectoryCaptcha.id, captchaAnswer: E2E_CAPTCHA, termsAccepted: true },
    },
  });
  expect(offDirectory.status()).toBe(202);

  await page.goto('/#/connexion');
  await expect(page.getByLabel('Adresse e-mail')).toBeVisible();
  await expectAccessible(page, 'sign-in');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expectAccessible(page, 'sign-in with its errors shown');
  await page.getByLabel('Adresse e-mail').fill(E2E_STAFF.approver.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(E2E_STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();

  await page.goto('/#/personnel/file');
  await expect(page.getByRole('heading', { name: "File d'attente des demandes" })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Axel Attente' })).toBeVisible();
  await expectAccessible(page, 'approval queue');
  await page.getByRole('link', { name: 'Axel Attente' }).click();
  await expect(page.getByRole('heading', { name: 'Demande de Axel Attente' })).toBeVisible();
  await expectAccessible(page, 'request page');

  await page.goto('/#/personnel/file');
  await page.getByRole('link', { name: 'Hélène Horsannuaire' }).click();
  await expect(page.getByRole('heading', { name: 'Demande de Hélène Horsannuaire' })).toBeVisible();
  await page.getByRole('button', { name: "Ajouter à l'annuaire" }).click();
  await expect(page.getByText("Choisissez la catégorie juridique de l'organisme.")).toBeVisible();
  await expectAccessible(page, 'request page of an organisation outside the directory, its addition form with errors');
});

test('the wizard can be completed with the keyboard alone', async ({ page }) => {
  await page.goto('/#/inscription');
  await expect(page.getByLabel('Nom', { exact: true })).toBeVisible();

  // Step 1: a radio group takes the focus on its checked (or first) option; Space checks it.
  await tabTo(page, page.getByLabel('Madame'));
  await page.keyboard.press('Space');
  await expect(page.getByLabel('Madame')).toBeChecked();
  await typeInto(page, page.getByLabel('Nom', { exact: true }), 'Clavier');
  await typeInto(page, page.getByLabel('Prénom', { exact: true }), 'Camille');
  await typeInto(page, page.getByLabel('Fonction'), 'Cheffe de projet');
  await tabTo(page, page.getByRole('button', { name: 'Suivant' }));
  await page.keyboard.press('Enter');

  // Step 2: type a search, then reach the results and choose with Space.
  const search = page.getByLabel(/Rechercher votre organisme/);
  await expect(search).toBeVisible();
  await typeInto(page, search, '214202186');
  const result = page.getByTestId('organisation-214202186');
  await expect(result).toBeVisible();
  await tabTo(page, result);
  await page.keyboard.press('Space');
  await expect(result).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Suivant' }));
  await page.keyboard.press('Enter');

  // Step 3.
  await expect(page.getByLabel('Adresse e-mail')).toBeVisible();
  await typeInto(page, page.getByLabel('Adresse e-mail'), 'camille.clavier@saint-etienne.fr');
  await typeInto(page, page.getByLabel('Téléphone'), '04 77 48 77 48');
  await tabTo(page, page.getByRole('button', { name: 'Suivant' }));
  await page.keyboard.press('Enter');

  // Step 4: captcha, terms, confirm.
  await expect(page.getByTestId('captcha-image')).toBeVisible();
  await typeInto(page, page.getByLabel('Antispam'), E2E_CAPTCHA);
  const terms = page.getByLabel(/J'accepte les conditions générales/);
  await tabTo(page, terms);
  await page.keyboard.press('Space');
  await expect(terms).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Confirmer' }));
  await page.keyboard.press('Enter');

  await expect(page.getByText(/un e-mail vous a été adressé/i).first()).toBeVisible();
});
