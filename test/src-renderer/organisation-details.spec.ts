import { describe, expect, it } from 'vitest';
import type { Organisation } from '../../common/api/contracts.js';
import { organisationDetails } from '../../src-renderer/services/format.js';

const organisation = (kind: string, legalCategoryLabel: string): Organisation => ({
  siren: '442123451',
  name: 'Association Quartiers fertiles',
  kind,
  legalCategory: '9220',
  legalCategoryLabel,
  town: 'Saint-Étienne',
  postcodes: ['42100'],
  departement: '42',
});

describe('the line under an organisation found', () => {
  it('says its kind and legal category once each', () => {
    expect(organisationDetails(organisation('Association', 'Association déclarée'))).toBe('Association déclarée · Saint-Étienne – 42100');
    expect(organisationDetails(organisation('Société commerciale', 'SAS, société par actions simplifiée'))).toBe(
      'Société commerciale (SAS, société par actions simplifiée) · Saint-Étienne – 42100',
    );
    expect(organisationDetails(organisation('Collectivité à statut particulier', '(Autre) Collectivité territoriale'))).toBe(
      'Collectivité à statut particulier, (Autre) Collectivité territoriale · Saint-Étienne – 42100',
    );
  });
});
