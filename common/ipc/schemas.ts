import * as yup from 'yup';
import { UNKNOWN_FIELD } from '../validation/locale.js';
import { idempotencyKeySchema, KIOSK_KEY_PATTERN, offlineRegistrationSchema } from '../registration/offline.js';
import { phoneRegistrationSchema } from '../staff/schemas.js';
import { CONNECTION_MODES, type ConnectionMode, type DesktopBridge, type DesktopFunction } from './contract.js';

// The argument of every IPC channel, checked by the main process: a renderer
// is web content, and whatever it sends is untrusted input.


const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why `value` cannot be a central service's address, or null when it can. */
export function centralUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'L\'adresse du service central n\'est pas valide (exemple : https://guichet.anru.fr).';
  }
  // The session token travels with every call: only over TLS, except to this very machine.
  const plainAllowed = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !plainAllowed) return 'L\'adresse du service central doit commencer par https://.';
  if (url.username || url.password) return 'L\'adresse du service central ne doit pas contenir d\'identifiant ni de mot de passe.';
  if (url.search || url.hash) return 'L\'adresse du service central ne doit contenir ni « ? » ni « # ».';
  return null;
}

/** The address as the app uses it: no trailing slash. */
export function normalizeServiceUrl(value: string): string {
  // Trailing slashes only, tried from the first of a run: linear however many slashes the address holds.
  return value.trim().replace(/(?<!\/)\/+$/, '');
}

export const settingsSchema = yup
  .object({
    connection: yup
      .mixed<ConnectionMode>()
      .required('Choisissez le service utilisé.')
      .oneOf([...CONNECTION_MODES], 'Le service utilisé doit être « local » ou « central ».'),
    centralUrl: yup
      .string()
      .trim()
      .max(300, 'L\'adresse du service central ne doit pas dépasser 300 caractères.')
      .default('')
      .transform((value: string) => normalizeServiceUrl(value))
      .when('connection', {
        is: 'central',
        then: (s) => s.required('Indiquez l\'adresse du service central.'),
      })
      .test('central-url', (value, context) => {
        const problem = value ? centralUrlProblem(value) : null;
        return problem ? context.createError({ message: problem }) : true;
      }),
    localPort: yup
      .number()
      .typeError('Le port du service local doit être un nombre.')
      .required('Le port du service local est obligatoire.')
      .integer('Le port du service local doit être un nombre entier.')
      .min(1024, 'Le port du service local doit être compris entre 1024 et 65535.')
      .max(65535, 'Le port du service local doit être compris entre 1024 et 65535.'),
    kiosk: yup.boolean().typeError('Le mode borne doit être activé ou non.').required(),
    kioskIdleMinutes: yup
      .number()
      .typeError('Le délai d\'inactivité doit être un nombre de minutes.')
      .required('Le délai d\'inactivité est obligatoire.')
      .integer('Le délai d\'inactivité doit être un nombre entier de minutes.')
      .min(1, 'Le délai d\'inactivité doit être compris entre 1 et 30 minutes.')
      .max(30, 'Le délai d\'inactivité doit être compris entre 1 et 30 minutes.'),
  })
  .exact(UNKNOWN_FIELD);
export type DesktopSettings = yup.InferType<typeof settingsSchema>;

export const DEFAULT_SETTINGS: DesktopSettings = {
  connection: 'local',
  centralUrl: '',
  localPort: 4788,
  kiosk: false,
  kioskIdleMinutes: 3,
};

export const queuedPhoneRegistrationSchema = yup
  .object({ idempotencyKey: idempotencyKeySchema, registration: phoneRegistrationSchema.required() })
  .exact(UNKNOWN_FIELD);
export type QueuedPhoneRegistration = yup.InferType<typeof queuedPhoneRegistrationSchema>;

export const queuedKioskRegistrationSchema = yup
  .object({ idempotencyKey: idempotencyKeySchema, registration: offlineRegistrationSchema.required() })
  .exact(UNKNOWN_FIELD);
export type QueuedKioskRegistration = yup.InferType<typeof queuedKioskRegistrationSchema>;

/** A kiosk's key as pasted from the enrolment page; null takes the kept one out. */
export const kioskKeySchema = yup
  .string()
  .trim()
  .defined()
  .nullable()
  .matches(
    KIOSK_KEY_PATTERN,
    'La clé de la borne n\'est pas valide : copiez-la en entier depuis la page « Bornes » de l\'espace personnel (43 lettres, chiffres, tirets ou soulignés).',
  );

type ArgumentSchemas = {
  [F in DesktopFunction]: Parameters<DesktopBridge[F]> extends [] ? null : yup.Schema<Parameters<DesktopBridge[F]>[0]>;
};

/** The schema of each channel's one argument; null: the channel takes none. */
export const IPC_ARGUMENTS: ArgumentSchemas = {
  getConnection: null,
  getSettings: null,
  saveSettings: settingsSchema,
  rememberSession: yup.boolean().strict().required(),
  hasKioskKey: null,
  saveKioskKey: kioskKeySchema,
  queuePhoneRegistration: queuedPhoneRegistrationSchema,
  queueKioskRegistration: queuedKioskRegistrationSchema,
  getOutboxStatus: null,
  replayOutbox: null,
  dismissRefused: idempotencyKeySchema,
};
