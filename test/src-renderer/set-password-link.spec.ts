import { describe, expect, it } from 'vitest';
import { linkProblem } from '../../src-renderer/services/set-password-link.js';
import { failure } from './helpers.js';

describe('a set-password link the service refuses', () => {
  it('is worded after the service\'s reason: expired, used, replaced, or not a link at all', () => {
    expect(linkProblem(failure(410, { error: 'token_expired', message: 'Ce lien a expiré.' }))).toBe('token_expired');
    expect(linkProblem(failure(410, { error: 'token_used', message: 'Ce lien a déjà servi.' }))).toBe('token_used');
    expect(linkProblem(failure(410, { error: 'token_superseded', message: 'Un lien plus récent existe.' }))).toBe('token_superseded');
    expect(linkProblem(failure(404, { error: 'token_invalid', message: 'Lien inconnu.' }))).toBe('token_invalid');
    expect(linkProblem(failure(410, { error: 'unexpected_answer', message: 'Réponse inattendue.' }))).toBe('token_invalid');
  });

  it('is not the link\'s fault when the service refused the password or could not answer', () => {
    expect(linkProblem(failure(400, { error: 'validation_failed', message: 'Mot de passe trop court.' }))).toBeNull();
    expect(linkProblem(failure(0, { error: 'service_unreachable', message: 'Service injoignable.' }))).toBeNull();
  });
});
