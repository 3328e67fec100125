import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS, kioskFromArguments } from '../../../common/ipc/contract.js';
import { centralUrlProblem, IPC_ARGUMENTS } from '../../../common/ipc/schemas.js';

describe('the desktop IPC contract', () => {
  it('has a schema entry (or an explicit "none") for every channel', () => {
    expect(Object.keys(IPC_ARGUMENTS).sort()).toEqual(Object.keys(IPC_CHANNELS).sort());
  });

  it('accepts a central service over https, or over http on this machine only', () => {
    expect(centralUrlProblem('https://guichet.anru.fr')).toBeNull();
    expect(centralUrlProblem('https://intranet.anru.fr/guichet')).toBeNull();
    expect(centralUrlProblem('http://127.0.0.1:4780')).toBeNull();
    expect(centralUrlProblem('http://localhost:4780')).toBeNull();
    expect(centralUrlProblem('http://guichet.anru.fr')).toBe("L'adresse du service central doit commencer par https://.");
    expect(centralUrlProblem('file:///etc')).toBe("L'adresse du service central doit commencer par https://.");
    expect(centralUrlProblem('https://moi:secret@guichet.anru.fr')).toMatch(/ni de mot de passe/);
    expect(centralUrlProblem('https://guichet.anru.fr/?x=1')).toMatch(/ni « \? » ni « # »/);
    expect(centralUrlProblem('guichet')).toMatch(/n'est pas valide/);
  });

  it('reads the kiosk switch main passes to the preload', () => {
    expect(kioskFromArguments(['electron', '--guichet-kiosk=5'])).toEqual({ idleMinutes: 5 });
    expect(kioskFromArguments(['electron', '--guichet-kiosk'])).toBeNull();
    expect(kioskFromArguments(['electron', '--guichet-kiosk=abc'])).toBeNull();
    expect(kioskFromArguments(['electron'])).toBeNull();
  });
});
