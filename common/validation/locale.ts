import { setLocale } from 'yup';

/** Keys a schema does not know: their names are quoted, as they are not French words. */
export const UNKNOWN_FIELD = 'Champ inattendu : « ${properties} ».';
export const UNKNOWN_PARAMETER = 'Paramètre inattendu : « ${properties} ».';

// Every rule in common/ carries its own French message; these defaults cover
// what a hand-crafted request can still trip over (wrong types, extra keys).
setLocale({
  mixed: {
    default: 'Le champ « ${path} » n\'est pas valide.',
    required: 'Le champ « ${path} » est obligatoire.',
    notType: 'Le champ « ${path} » n\'a pas le bon type de valeur.',
    oneOf: 'Le champ « ${path} » n\'a pas une valeur autorisée.',
    defined: 'Le champ « ${path} » est obligatoire.',
    notNull: 'Le champ « ${path} » est obligatoire.',
  },
  string: {
    min: 'Le champ « ${path} » doit compter au moins ${min} caractères.',
    max: 'Le champ « ${path} » ne doit pas dépasser ${max} caractères.',
    matches: 'Le champ « ${path} » n\'a pas le format attendu.',
    email: 'Le champ « ${path} » doit être une adresse e-mail.',
  },
  number: {
    min: 'Le champ « ${path} » doit valoir au moins ${min}.',
    max: 'Le champ « ${path} » ne doit pas dépasser ${max}.',
    integer: 'Le champ « ${path} » doit être un nombre entier.',
  },
  array: {
    min: 'Le champ « ${path} » doit compter au moins ${min} éléments.',
    max: 'Le champ « ${path} » ne doit pas compter plus de ${max} éléments.',
  },
  object: {
    exact: UNKNOWN_FIELD,
  },
});
