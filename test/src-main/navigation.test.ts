import { describe, expect, it } from 'vitest';
import { isInternalNavigation, isSafeExternalLink } from '../../src-main/security/navigation.js';

describe('desktop window navigation policy', () => {
  it('stays on the app origin only', () => {
    expect(isInternalNavigation('guichet://app/index.html#/inscription')).toBe(true);
    expect(isInternalNavigation('guichet://app/')).toBe(true);
    // Node gives every custom-scheme URL the origin "null": the check must not compare origins.
    expect(isInternalNavigation('other://app/index.html')).toBe(false);
    expect(isInternalNavigation('guichet://evil/index.html')).toBe(false);
    expect(isInternalNavigation('http://127.0.0.1:4788/')).toBe(false);
    expect(isInternalNavigation('https://guichet.anru.fr/')).toBe(false);
    expect(isInternalNavigation('file:///etc/passwd')).toBe(false);
    expect(isInternalNavigation('not a url')).toBe(false);
  });

  it('lets only plain https links leave for the system browser', () => {
    expect(isSafeExternalLink('https://www.cnil.fr/fr/generer-un-mot-de-passe-solide')).toBe(true);
    expect(isSafeExternalLink('http://www.cnil.fr/')).toBe(false);
    expect(isSafeExternalLink('javascript:alert(1)')).toBe(false);
    expect(isSafeExternalLink('file:///C:/Windows/system32/calc.exe')).toBe(false);
    expect(isSafeExternalLink('https://user:pw@example.org/')).toBe(false);
  });
});
