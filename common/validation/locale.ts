import { setLocale } from 'yup';

// Every rule in common/ carries its own French message; these defaults cover
// what a hand-crafted request can still trip over (wrong types, extra keys).
setLocale({
  mixed: {
    default: 'Le champ « ${path} » n\'est pas valide.',
    required: 'Le champ « ${path} » est obligatoire.',
    notType: 'Le champ « ${path} » n\'a pas le bon type de valeur.',
    oneOf: 'Le champ « ${path} » n\'a pas une valeur autorisée.',
    defined: 'Le champ « ${path} » est obligatoire.',
  },
  string: {
    max: 'Le champ « ${path} » ne doit pas dépasser ${max} caractères.',
    matches: 'Le champ « ${path} » n\'a pas le format attendu.',
  },
  object: {
    exact: 'Champ inattendu : ${properties}.',
  },
});
