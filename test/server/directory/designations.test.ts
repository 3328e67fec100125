import { describe, expect, it } from 'vitest';
import { exactNames } from '../../../server/directory/designations.js';

describe('the names an exact search compares with', () => {
  it('are, for a bare territory, the territory and the authorities named after it', () => {
    const names = exactNames('loire');
    expect(names).toContain('loire');
    expect(names).toContain('departement de la loire');
    expect(exactNames('auvergne rhone alpes')).toContain('region auvergne rhone alpes');
    expect(exactNames('paris')).toContain('ville de paris');
    expect(exactNames('corse')).toContain('collectivite de corse');
  });

  it('are, for an authority however it is said, its name but not the bare territory', () => {
    for (const said of ['departement de la loire', 'conseil departemental de la loire', 'conseil departemental loire', 'conseil general de la loire']) {
      const names = exactNames(said);
      expect(names, said).toContain('departement de la loire');
      expect(names, said).not.toContain('loire');
    }
    expect(exactNames('conseil regional auvergne rhone alpes')).toContain('region auvergne rhone alpes');
    expect(exactNames('departement de l ain')).toContain('departement de l ain');
  });
});
