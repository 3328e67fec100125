// Territorial authorities are named "Département de la Loire", "Région
// Auvergne-Rhône-Alpes", "Ville de Paris", and called "la Loire", "le
// conseil départemental de la Loire", "Paris". An exact search compares the
// name with each way of writing the same authority: "loire" puts the
// Département de la Loire in front of the many names holding the word, and
// "departement de la loire" in front of the Loire-Atlantique.

// How people start the name of an authority (folded), longest first.
const SAID = [
  'conseil departemental',
  'conseil general',
  'conseil regional',
  'collectivite territoriale',
  'collectivite europeenne',
  'collectivite',
  'departement',
  'region',
  'ville',
].sort((a, b) => b.length - a.length);

const ARTICLES = ['de la', 'de l', 'du', 'des', 'de', 'd', 'l', 'la', 'le', 'les'];

// How the directory names them (folded), before the territory.
const NAMED = [
  'departement de la',
  'departement de l',
  'departement du',
  'departement des',
  'departement de',
  'departement d',
  'region',
  'collectivite de',
  'collectivite territoriale de',
  'collectivite europeenne d',
  'ville de',
];

/** The territory of a folded phrase that names an authority ("conseil departemental de la loire" → "loire"), or null. */
function territoryOf(phrase: string): string | null {
  for (const said of SAID) {
    if (!phrase.startsWith(`${said} `)) continue;
    let rest = phrase.slice(said.length + 1);
    const article = ARTICLES.find((a) => rest.startsWith(`${a} `));
    if (article) rest = rest.slice(article.length + 1);
    return rest || null;
  }
  return null;
}

/**
 * The names an exact search compares with, for a folded phrase: the phrase,
 * and the authority's names it may stand for. The bare territory only when it
 * was typed bare: "departement de la loire" does not bring the commune of
 * Loiré.
 */
export function exactNames(phrase: string): string[] {
  const territory = territoryOf(phrase) ?? phrase;
  return [...new Set([phrase, ...NAMED.map((n) => `${n} ${territory}`)])];
}
