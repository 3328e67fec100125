import { describe, expect, it } from 'vitest';
import { isInternalNavigation, isSafeExternalLink } from '../../src-main/security/navigation.js';

describe('desktop window navigation policy', () => {
  const service = 'http://127.0.0.1:4780';

  it('stays on the service origin only', () => {
    expect(isInternalNavigation('http://127.0.0.1:4780/#/inscription', service)).toBe(true);
    expect(isInternalNavigation('http://127.0.0.1:4781/', service)).toBe(false);
    expect(isInternalNavigation('https://127.0.0.1:4780/', service)).toBe(false);
    expect(isInternalNavigation('file:///etc/passwd', service)).toBe(false);
    expect(isInternalNavigation('not a url', service)).toBe(false);
  });

  it('lets only plain https links leave for the system browser', () => {
    expect(isSafeExternalLink('https://www.cnil.fr/fr/generer-un-mot-de-passe-solide')).toBe(true);
    expect(isSafeExternalLink('http://www.cnil.fr/')).toBe(false);
    expect(isSafeExternalLink('javascript:alert(1)')).toBe(false);
    expect(isSafeExternalLink('file:///C:/Windows/system32/calc.exe')).toBe(false);
    expect(isSafeExternalLink('https://user:pw@example.org/')).toBe(false);
  });
});
