import rows from '@etalab/decoupage-administratif/data/departements.json';

/** The départements of the Code officiel géographique (code and name), in code order: the search's filter offers them. */
export const DEPARTEMENTS: readonly { code: string; name: string }[] = (rows as { code: string; nom: string }[]).map((d) => ({ code: d.code, name: d.nom }));
