import { describe, expect, it, vi } from 'vitest';
import { useCaptcha } from '../../src-renderer/composables/useCaptcha.js';
import * as api from '../../src-renderer/services/api.js';

vi.mock('../../src-renderer/services/api.js');

describe('useCaptcha', () => {
  it('shows the PNG the service drew', async () => {
    vi.mocked(api.createCaptcha).mockResolvedValue({ id: 'c1', image: 'data:image/png;base64,iVBORw0KGgo=', expiresAt: '2099-01-01T00:00:00Z' });
    const captcha = useCaptcha();
    await captcha.refresh();
    expect(captcha.imageSrc.value).toBe('data:image/png;base64,iVBORw0KGgo=');
  });

  it.each([
    ['an SVG', 'data:image/svg+xml,%3Csvg onload=alert(1)%3E'],
    ['a remote address', 'https://exemple.fr/pixel.png'],
    ['a script', 'javascript:alert(1)'],
  ])('shows nothing when the image is %s', async (_name, image) => {
    vi.mocked(api.createCaptcha).mockResolvedValue({ id: 'c1', image, expiresAt: '2099-01-01T00:00:00Z' });
    const captcha = useCaptcha();
    await captcha.refresh();
    expect(captcha.imageSrc.value).toBe('');
  });
});
