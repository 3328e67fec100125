import { describe, expect, it } from 'vitest';
import { effectScope } from 'vue';
import { useApiCall } from '../../src-renderer/composables/useApiCall.js';
import { catchApiFailure } from '../../src-renderer/services/http.js';
import { failure } from './helpers.js';

const REFUSED = failure(409, { error: 'kiosk_already_revoked', message: 'Cette borne est déjà révoquée.' });

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((done, fail) => {
    resolve = done;
    reject = fail;
  });
  return { promise, resolve, reject };
}

function apiCall(options?: { latestOnly?: boolean }) {
  return effectScope().run(() => useApiCall(options))!;
}

describe('a call to the service the screen shows', () => {
  it('is busy while it runs, and hands back what the service answered', async () => {
    const { busy, failureMessage, run } = apiCall();
    const answer = deferred<string>();
    const running = run(() => answer.promise);
    expect(busy.value).toBe(true);

    answer.resolve('Borne révoquée.');
    await expect(running).resolves.toBe('Borne révoquée.');
    expect(busy.value).toBe(false);
    expect(failureMessage.value).toBe('');
  });

  it('shows the service\'s French reason when it refuses, lets the screen do more, and clears it on the next try', async () => {
    const { busy, failureMessage, run } = apiCall();
    const seen: string[] = [];
    await expect(run(() => Promise.reject(REFUSED), (refusal) => seen.push(refusal.body.error))).resolves.toBeUndefined();
    expect(failureMessage.value).toBe('Cette borne est déjà révoquée.');
    expect(seen).toEqual(['kiosk_already_revoked']);
    expect(busy.value).toBe(false);

    const next = run(() => Promise.resolve('ok'));
    expect(failureMessage.value).toBe('');
    await next;
  });

  it('does not pass off a bug as the service\'s refusal', async () => {
    const { busy, failureMessage, run } = apiCall();
    await expect(run(() => Promise.reject(new TypeError('bug')))).rejects.toThrow('bug');
    expect(failureMessage.value).toBe('');
    expect(busy.value).toBe(false);
  });

  it('when only the latest call counts, shows neither the answer nor the refusal of one overtaken by another', async () => {
    const { busy, failureMessage, run } = apiCall({ latestOnly: true });
    const first = deferred<string>();
    const second = deferred<string>();
    const overtaken = run(() => first.promise);
    const latest = run(() => second.promise);

    first.reject(REFUSED);
    await expect(overtaken).resolves.toBeUndefined();
    expect(failureMessage.value).toBe('');
    expect(busy.value).toBe(true);

    second.resolve('page 2');
    await expect(latest).resolves.toBe('page 2');
    expect(busy.value).toBe(false);
  });
});

describe('catching the service\'s refusal', () => {
  it('turns the refusal into what the handler makes of it, and lets anything else through', async () => {
    await expect(catchApiFailure(Promise.reject(REFUSED), (refusal) => refusal.status)).resolves.toBe(409);
    await expect(catchApiFailure(Promise.resolve('accepté'), () => 'refusé')).resolves.toBe('accepté');
    await expect(catchApiFailure(Promise.reject(new Error('annulée')), () => 'refusé')).rejects.toThrow('annulée');
  });

  it('reads the codes the service answers with', () => {
    expect(REFUSED.is('kiosk_not_found', 'kiosk_already_revoked')).toBe(true);
    expect(REFUSED.is('kiosk_not_found')).toBe(false);
  });
});
