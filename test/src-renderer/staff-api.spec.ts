import { afterEach, describe, expect, it, vi } from 'vitest';
import { http } from '../../src-renderer/services/http.js';
import { safeReturnPath } from '../../src-renderer/services/return-path.js';
import { onSessionExpired } from '../../src-renderer/services/session-expiry.js';
import { getQueue, searchStaff } from '../../src-renderer/services/staff-api.js';
import { failure } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('staff API', () => {
  it('reports a 401 as an expired session, and still fails the call', async () => {
    vi.spyOn(http, 'request').mockRejectedValue(failure(401, { error: 'not_signed_in', message: 'Connectez-vous.' }));
    const expired = vi.fn();
    const stop = onSessionExpired(expired);

    await expect(getQueue({ status: 'pending', departement: '', q: '', page: 1 })).rejects.toMatchObject({ status: 401 });
    stop();

    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('leaves other refusals to the page', async () => {
    vi.spyOn(http, 'request').mockRejectedValue(failure(403, { error: 'forbidden', message: 'Accès refusé.' }));
    const expired = vi.fn();
    const stop = onSessionExpired(expired);

    await expect(searchStaff('dupont')).rejects.toMatchObject({ status: 403 });
    stop();

    expect(expired).not.toHaveBeenCalled();
  });
});

describe('return path after sign-in', () => {
  it('accepts a path of the app and nothing else', () => {
    expect(safeReturnPath('/personnel/file?statut=pending')).toBe('/personnel/file?statut=pending');
    expect(safeReturnPath('//evil.example/personnel')).toBeNull();
    expect(safeReturnPath('https://evil.example')).toBeNull();
    expect(safeReturnPath(['/personnel/file'])).toBeNull();
  });
});
