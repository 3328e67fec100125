import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick } from 'vue';
import { useStoredDraft } from '../../src-renderer/stores/registration-draft.js';

const KEY = 'guichet.test-draft';

/** The draft as a store's setup would hold it: inside an effect scope, stopped with the store. */
function openDraft() {
  const scope = effectScope();
  const stored = scope.run(() => useStoredDraft(KEY))!;
  return { ...stored, close: () => scope.stop() };
}

describe('the wizard draft kept in the browser', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    sessionStorage.clear();
  });

  it('keeps each keystroke at once, so that a reload right after it finds it', () => {
    const first = openDraft();
    first.draft.identity.lastName = 'Dupont';
    first.draft.step = 2;
    expect(JSON.parse(sessionStorage.getItem(KEY) ?? '{}')).toMatchObject({ step: 2, identity: { lastName: 'Dupont' } });
    first.close();

    const reloaded = openDraft();
    expect(reloaded.draft.step).toBe(2);
    expect(reloaded.draft.identity.lastName).toBe('Dupont');
    reloaded.close();
  });

  it('blanks the form and leaves nothing in storage once cleared', async () => {
    const stored = openDraft();
    stored.draft.contact.email = 'marie.dupont@lyon.fr';
    stored.clear();
    await nextTick();
    expect(stored.draft.contact.email).toBe('');
    expect(sessionStorage.getItem(KEY)).toBeNull();
    stored.close();
  });

  it('still lets the person type when the browser refuses storage (private mode, kiosk policy)', () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('disabled', 'SecurityError');
    });
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    const stored = openDraft();
    expect(stored.draft.step).toBe(1);
    stored.draft.identity.firstName = 'Marie';
    expect(stored.draft.identity.firstName).toBe('Marie');
    expect(() => stored.clear()).not.toThrow();
    stored.close();
  });
});
