import { drawCaptcha } from '../../server/captcha/captcha-image.js';
import { randomCaptchaText } from '../../server/captcha/captcha.service.js';

/**
 * CPU milliseconds (user and system, every thread of this process: the PNG
 * encoder included) per captcha image, over `count` images drawn one after
 * the other after a warm-up, in the process that calls it.
 */
export function captchaCpuMs(count: number): number {
  for (let i = 0; i < 20; i++) drawCaptcha(randomCaptchaText());
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) drawCaptcha(randomCaptchaText());
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / count;
}
