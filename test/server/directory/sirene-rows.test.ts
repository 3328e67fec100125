import { describe, expect, it } from 'vitest';
import { HEAD_OFFICE_COLUMNS, headOfficeMapper, pushHeadOffice, pushUnit, UNIT_COLUMNS, unitMapper } from '../../../server/directory/sirene/rows.js';

describe('staged rows', () => {
  it('read their columns by header name, whatever the order of the file', () => {
    const map = unitMapper(['sigleUniteLegale', 'denominationUniteLegale', 'siren', 'statutDiffusionUniteLegale', 'categorieJuridiqueUniteLegale']);
    expect(map(['SG', 'SAINT GOBAIN', '552100554', 'O', '5710'])).toMatchObject({ siren: '552100554', name: 'SAINT GOBAIN', sigle: 'SG', legal_category: '5710' });
  });

  it('travel in the staging tables’ column order', () => {
    const map = unitMapper(['siren', 'categorieJuridiqueUniteLegale', 'statutDiffusionUniteLegale', 'denominationUniteLegale', 'sigleUniteLegale']);
    const unit = map(['552100554', '5710', 'O', 'SAINT GOBAIN', 'SG']);
    if ('rejected' in unit) throw new Error(unit.rejected);
    const values: unknown[] = [];
    pushUnit(values, unit);
    expect(values).toEqual(UNIT_COLUMNS.map((c) => unit[c]));
    const head = { siren: '1', siret: '2', address: '3', town: '4', postcode: '5', departement: '6', place_words: '7', diffusion: 'O' };
    const headValues: unknown[] = [];
    pushHeadOffice(headValues, head);
    expect(headValues).toEqual(HEAD_OFFICE_COLUMNS.map((c) => head[c]));
  });

  it('reject a record too short to hold the columns a unit needs, and skip establishments that are not head offices', () => {
    expect(unitMapper(['siren', 'statutDiffusionUniteLegale', 'categorieJuridiqueUniteLegale'])(['552100554', 'O'])).toEqual({
      rejected: 'catégorie juridique absente ou invalide',
    });
    expect(headOfficeMapper(['siren', 'siret', 'etablissementSiege'])(['552100554', '55210055400013', 'false'])).toBeNull();
  });
});
