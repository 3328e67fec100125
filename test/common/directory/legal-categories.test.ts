import { describe, expect, it } from 'vitest';
import { legalCategoryLabel } from '../../../common/directory/legal-categories.js';

describe('legal category labels', () => {
  it('name every code of the INSEE nomenclature by its level III label', () => {
    expect(legalCategoryLabel('9220')).toBe('Association déclarée');
    expect(legalCategoryLabel('5710')).toBe('SAS, société par actions simplifiée');
    expect(legalCategoryLabel('7220')).toBe('Département');
    expect(legalCategoryLabel('7229')).toBe('(Autre) Collectivité territoriale');
    expect(legalCategoryLabel('7371')).toMatch(/^Office public d'habitation à loyer modéré/);
  });

  it('name a code newer than the nomenclature by its heading and its number, once', () => {
    expect(legalCategoryLabel('9299')).toBe('Association loi 1901 ou assimilé (catégorie 9299)');
    expect(legalCategoryLabel('7999')).toBe('Personne morale et organisme soumis au droit administratif (catégorie 7999)');
    expect(legalCategoryLabel('9220')).not.toMatch(/Catégorie juridique/);
  });
});
