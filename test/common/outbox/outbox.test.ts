import { describe, expect, it } from 'vitest';
import { refusalMessage, replayRequest, verdictOf, type OutboxEntry } from '../../../common/outbox/outbox.js';

const registration = {
  identity: { civility: 'Mme' as const, lastName: 'Horsligne', firstName: 'Camille', jobTitle: 'Chargée de mission', quartiersFertiles: false },
  organisation: { siren: '775672272' },
  contact: { email: 'camille@quartiers-solidaires.org', phone: '04 72 10 30 30' },
  confirm: { termsAccepted: true },
};

describe('replaying a kept request', () => {
  it('sends a desk\'s request to the phone registrations under the session, a kiosk\'s to the kiosk route under its key', () => {
    const phone: OutboxEntry = { kind: 'phone-registration', id: 'cle-0001-abcd', capturedAt: '2026-12-01T09:00:00.000Z', registration };
    const kiosk: OutboxEntry = { ...phone, kind: 'kiosk-registration' };
    expect(replayRequest(phone)).toEqual({
      path: 'staff/phone-registrations',
      headers: { 'Idempotency-Key': 'cle-0001-abcd', 'X-Guichet-Captured-Offline': '2026-12-01T09:00:00.000Z' },
      body: registration,
      credential: 'session',
    });
    expect(replayRequest(kiosk)).toEqual({
      path: 'kiosk/registrations',
      headers: { 'Idempotency-Key': 'cle-0001-abcd', 'X-Guichet-Captured-Offline': '2026-12-01T09:00:00.000Z' },
      body: registration,
      credential: 'kiosk-key',
    });
  });

  it.each([
    [null, 'retry-later'],
    [202, 'sent'],
    [200, 'sent'],
    [401, 'needs-sign-in'],
    [403, 'needs-sign-in'],
    [408, 'retry-later'],
    [429, 'retry-later'],
    [500, 'retry-later'],
    [504, 'retry-later'],
    [400, 'refused'],
    [409, 'refused'],
    [413, 'refused'],
  ] as const)('reads HTTP %s as %s', (status, verdict) => {
    expect(verdictOf(status)).toBe(verdict);
  });

  it('words a refusal for the agent who retypes the request', () => {
    expect(refusalMessage(400, { error: 'validation_failed', message: 'Demande refusée.', fields: { 'organisation.siren': 'SIREN inconnu.', x: 'Demande refusée.' } })).toBe(
      'Demande refusée. SIREN inconnu.',
    );
    expect(refusalMessage(409, '<html>')).toBe('Le service a refusé la demande (HTTP 409).');
  });
});
