/// <reference lib="dom" />
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { tabTo, typeInto } from './support/keyboard.js';

// "Je ne peux pas lire l'image" (RGAA 1.5): the wizard's security check done
// by a proof of work in a Web Worker, with the keyboard alone, accessible, and
// within the page's content security policy. The service runs with its
// default work factor: the journey waits as long as an applicant would.

const ASSOCIATION = { siren: '775672272' };
const DONE = 'Vérification terminée : vous pouvez confirmer votre demande.';
// Several times the measured wait, for a loaded test machine.
const WORK_TIMEOUT = 30_000;

/** Every request the page makes, to see that nothing leaves the service's origin. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

function recordCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test('the wizard is completed with the keyboard alone, choosing "Je ne peux pas lire l\'image"', async ({ page, baseURL }) => {
  const requests = recordRequests(page);
  const violations = recordCspViolations(page);
  await page.goto('/#/inscription');
  await expect(page.getByLabel('Nom', { exact: true })).toBeVisible();

  await tabTo(page, page.getByLabel('Madame'));
  await page.keyboard.press('Space');
  await typeInto(page, page.getByLabel('Nom', { exact: true }), 'Sansimage');
  await typeInto(page, page.getByLabel('Prénom', { exact: true }), 'Dominique');
  await typeInto(page, page.getByLabel('Fonction'), 'Chargée de mission');
  await tabTo(page, page.getByRole('button', { name: 'Suivant' }));
  await page.keyboard.press('Enter');

  const search = page.getByLabel(/Rechercher votre organisme/);
  await expect(search).toBeVisible();
  await typeInto(page, search, ASSOCIATION.siren);
  const result = page.getByTestId(`organisation-${ASSOCIATION.siren}`);
  await expect(result).toBeVisible();
  await tabTo(page, result);
  await page.keyboard.press('Space');
  await tabTo(page, page.getByRole('button', { name: 'Suivant' }));
  await page.keyboard.press('Enter');

  await expect(page.getByLabel('Adresse e-mail')).toBeVisible();
  await typeInto(page, page.getByLabel('Adresse e-mail'), 'dominique.sansimage@quartiers-solidaires.org');
  await typeInto(page, page.getByLabel('Téléphone'), '04 72 10 30 30');
  await tabTo(page, page.getByRole('button', { name: 'Suivant' }));
  await page.keyboard.press('Enter');

  // Step 4: the alternative, then the terms and the confirmation.
  await expect(page.getByTestId('captcha-image')).toBeVisible();
  await expect(page.getByText('Vous pouvez aussi appeler le guichet au 01 53 63 55 00 : un agent enregistrera votre demande.')).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Je ne peux pas lire l\'image' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('proof-of-work-explanation')).toBeFocused();
  await expect(page.getByTestId('captcha-image')).toHaveCount(0);
  const terms = page.getByLabel(/J'accepte les conditions générales/);
  await tabTo(page, terms);
  await page.keyboard.press('Space');
  await expect(terms).toBeChecked();
  await expect(page.getByTestId('proof-of-work-status')).toHaveText(DONE, { timeout: WORK_TIMEOUT });
  await tabTo(page, page.getByRole('button', { name: 'Confirmer' }));
  await page.keyboard.press('Enter');

  await expect(page.getByText(/approbation de l'ANRU/).first()).toBeVisible();
  expect(requests.filter((url) => !url.startsWith(`${baseURL}/`))).toEqual([]);
  expect(requests.some((url) => /\/assets\/proof-of-work\.worker-[\w-]+\.js$/.test(url))).toBe(true);
  expect(violations).toEqual([]);
});

test('the confirm step in its alternative state has no serious accessibility violation', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'sqlite', 'the same page on both databases');
  const violations = recordCspViolations(page);
  const expectAccessible = async (name: string) => {
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}) : ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
    expect(serious, `axe on ${name}`).toEqual([]);
    expect(violations, `CSP on ${name}`).toEqual([]);
  };

  await page.goto('/#/inscription');
  await page.getByLabel('Madame').check();
  await page.getByLabel('Nom', { exact: true }).fill('Accessible');
  await page.getByLabel('Prénom', { exact: true }).fill('Alex');
  await page.getByLabel('Fonction').fill('Chargé de mission');
  await page.getByRole('button', { name: 'Suivant' }).click();
  await page.getByLabel(/Rechercher votre organisme/).fill(ASSOCIATION.siren);
  await page.getByTestId(`organisation-${ASSOCIATION.siren}`).check();
  await page.getByRole('button', { name: 'Suivant' }).click();
  await page.getByLabel('Adresse e-mail').fill('alex.accessible@quartiers-solidaires.org');
  await page.getByLabel('Téléphone').fill('04 72 10 30 30');
  await page.getByRole('button', { name: 'Suivant' }).click();

  await expect(page.getByTestId('captcha-image')).toBeVisible();
  await page.getByRole('button', { name: 'Je ne peux pas lire l\'image' }).click();
  await expect(page.getByTestId('proof-of-work-status')).toHaveText('Vérification en cours…');
  await expectAccessible('step 4, proof of work running');
  await expect(page.getByTestId('proof-of-work-status')).toHaveText(DONE, { timeout: WORK_TIMEOUT });
  await expectAccessible('step 4, proof of work done');

  // Confirming without the terms: the step's errors, in the alternative state.
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await expect(page.getByText('Vous devez accepter les conditions générales d\'utilisation.').first()).toBeVisible();
  await expectAccessible('step 4, proof of work, with its errors shown');

  await page.getByRole('button', { name: 'Revenir à l\'image' }).click();
  await expect(page.getByTestId('captcha-image')).toBeVisible();
  await expect(page.getByLabel('Antispam')).toBeFocused();
});
