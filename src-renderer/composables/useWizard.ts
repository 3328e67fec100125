import { inject, provide, type InjectionKey } from 'vue';
import { WIZARD_STEPS, useRegistrationStore, type WizardStore } from '../stores/registration.js';

/** Who fills the wizard in: the applicant, or a help-desk agent for a caller on the phone. */
export type WizardMode = 'applicant' | 'phone';

/** The words that change with who is typing: the applicant reads "vous", the agent reads "la personne". */
export interface WizardTexts {
  steps: readonly string[];
  quartiersFertilesLabel: string;
  quartiersFertilesHint: string;
  organisationIntro: string;
  organisationSearchLabel: string;
  organisationSearchHint: string;
  emailWarningTitle: string;
  emailWarningText: string;
  recapTitle: string;
  submitErrorTitle: string;
}

const TEXTS: Record<WizardMode, WizardTexts> = {
  applicant: {
    steps: WIZARD_STEPS,
    quartiersFertilesLabel: 'Je suis maître d\'ouvrage Quartiers Fertiles',
    quartiersFertilesHint: 'À l\'attention des maîtres d\'ouvrages Quartiers Fertiles, merci de cocher la case ci-dessous.',
    organisationIntro:
      'Afin d\'améliorer la connaissance des acteurs en interaction avec l\'ANRU, il est essentiel de connaître votre organisme de rattachement.',
    organisationSearchLabel: 'Rechercher votre organisme (nom, commune, code postal, SIREN ou SIRET)',
    organisationSearchHint:
      'Astuce : si vous n\'arrivez pas à trouver votre organisme ou si les réponses retournées sont trop nombreuses, vous pouvez indiquer le numéro de code SIREN : 9 premiers caractères du code SIRET de votre établissement. Le résultat est garanti !',
    emailWarningTitle: 'Attention, l\'e-mail indiqué doit être le vôtre.',
    emailWarningText:
      'Celui-ci doit être accessible par vous seul car il sera utilisé dans la suite de la procédure d\'enregistrement.',
    recapTitle: 'Récapitulatif de votre saisie',
    submitErrorTitle: 'Votre demande n\'a pas pu être enregistrée',
  },
  phone: {
    steps: ['Fonction et identité de la personne', 'Organisme de rattachement', 'Coordonnées de la personne', 'Confirmation'],
    quartiersFertilesLabel: 'La personne est maître d\'ouvrage Quartiers Fertiles',
    quartiersFertilesHint: '',
    organisationIntro: 'Demandez à la personne le nom de son organisme de rattachement, sa commune ou, mieux, son SIREN.',
    organisationSearchLabel: 'Rechercher l\'organisme de la personne (nom, commune, code postal, SIREN ou SIRET)',
    organisationSearchHint: 'Le SIREN (9 premiers chiffres du SIRET) trouve l\'organisme à coup sûr.',
    emailWarningTitle: 'Attention, l\'e-mail indiqué doit être celui de la personne.',
    emailWarningText:
      'Elle seule doit y avoir accès : c\'est à cette adresse qu\'elle recevra le lien pour définir son mot de passe. Faites-la épeler.',
    recapTitle: 'Récapitulatif de la saisie',
    submitErrorTitle: 'La demande n\'a pas pu être enregistrée',
  },
};

export interface WizardContext {
  store: WizardStore;
  mode: WizardMode;
  texts: WizardTexts;
}

const WIZARD: InjectionKey<WizardContext> = Symbol('wizard');

/** Called by the page that hosts a wizard: its steps then read and write that page's store. */
export function provideWizard(store: WizardStore, mode: WizardMode): WizardContext {
  const context = { store, mode, texts: TEXTS[mode] };
  provide(WIZARD, context);
  return context;
}

/** The wizard a step belongs to; a step used on its own is the applicant's. */
export function useWizard(): WizardContext {
  return inject(WIZARD, null) ?? { store: useRegistrationStore(), mode: 'applicant', texts: TEXTS.applicant };
}
