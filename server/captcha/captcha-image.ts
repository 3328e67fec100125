import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';

// Spectral ExtraBold, by Production Type for Google Fonts, under the SIL Open
// Font License 1.1, as shipped by @gouvfr/dsfr (a dependency of the web UI;
// Marianne, beside it, is reserved to State sites and is not used here). It
// is read into memory and registered from there: a machine may have no system
// fonts, and the packaged desktop app keeps node_modules in an asar archive
// that the native renderer cannot open by path.
const FONT_FILE = createRequire(import.meta.url).resolve('@gouvfr/dsfr/dist/fonts/Spectral-ExtraBold.woff2');
export const CAPTCHA_FONT_FAMILY = 'Guichet Captcha';
if (!GlobalFonts.register(fs.readFileSync(FONT_FILE), CAPTCHA_FONT_FAMILY)) {
  throw new Error(`The captcha font could not be loaded from ${FONT_FILE}.`);
}

/** The image's size in pixels, which is also its size in CSS pixels on the page. */
export const CAPTCHA_WIDTH = 180;
export const CAPTCHA_HEIGHT = 60;
/** The nominal font size, before each character's own scale. */
export const CAPTCHA_FONT_SIZE = 40;
/** Room kept free at each end of the text, for its characters' rotations and the warp. */
const MARGIN = 12;
/** Spacing of the knots of the elastic part of the warp, and their largest displacement. */
const KNOT_SPACING = 20;
const ELASTICITY = 4;

const BACKGROUND = [244, 243, 238] as const;

/**
 * Uniform numbers from the CSPRNG: the distortions of an image are drawn from
 * the same source as its text, so no generator state can be learnt from
 * images to predict the next one's geometry.
 */
function randomSource(): (min: number, max: number) => number {
  const values = new Uint32Array(64);
  let next = values.length;
  return (min, max) => {
    if (next === values.length) {
      randomFillSync(values);
      next = 0;
    }
    return min + (values[next++]! / 2 ** 32) * (max - min);
  };
}

/** A curve across the whole image, between heights `top` and `bottom` at its ends. */
function stroke(ctx: SKRSContext2D, random: (min: number, max: number) => number, top: number, bottom: number): void {
  ctx.beginPath();
  ctx.moveTo(random(-10, 10), random(top, bottom));
  ctx.bezierCurveTo(
    CAPTCHA_WIDTH * random(0.15, 0.45),
    random(0, CAPTCHA_HEIGHT),
    CAPTCHA_WIDTH * random(0.55, 0.85),
    random(0, CAPTCHA_HEIGHT),
    CAPTCHA_WIDTH + random(-10, 10),
    random(top, bottom),
  );
  ctx.stroke();
}

/**
 * Moves every pixel by a displacement field: two sine waves per axis, so that
 * baselines undulate, plus a smooth random field interpolated between knots
 * KNOT_SPACING apart, so that each stroke bends its own way. No character keeps
 * the shape of the font's glyph, yet each stays continuous.
 */
function warp(ctx: SKRSContext2D, random: (min: number, max: number) => number): void {
  const image = ctx.getImageData(0, 0, CAPTCHA_WIDTH, CAPTCHA_HEIGHT);
  const source = new Uint8ClampedArray(image.data);
  const out = image.data;
  const wave = () => {
    const [amplitude, frequency, phase] = [random(1.5, 2.5), (2 * Math.PI) / random(35, 70), random(0, 2 * Math.PI)];
    return (t: number) => amplitude * Math.sin(t * frequency + phase);
  };
  const [xByY, xByX, yByX, yByY] = [wave(), wave(), wave(), wave()];
  const columns = Math.ceil(CAPTCHA_WIDTH / KNOT_SPACING) + 1;
  const rows = Math.ceil(CAPTCHA_HEIGHT / KNOT_SPACING) + 1;
  // Each knot holds a horizontal then a vertical displacement.
  const knots = new Float64Array(columns * rows * 2).map(() => random(-ELASTICITY, ELASTICITY));
  const smooth = (t: number) => t * t * (3 - 2 * t);
  // What depends on the column only, computed once per column rather than once per pixel.
  const knotColumn = new Int32Array(CAPTCHA_WIDTH);
  const knotWeight = new Float64Array(CAPTCHA_WIDTH);
  const columnShiftX = new Float64Array(CAPTCHA_WIDTH);
  const columnShiftY = new Float64Array(CAPTCHA_WIDTH);
  for (let x = 0; x < CAPTCHA_WIDTH; x++) {
    knotColumn[x] = Math.floor(x / KNOT_SPACING);
    knotWeight[x] = smooth(x / KNOT_SPACING - knotColumn[x]!);
    columnShiftX[x] = x + xByX(x);
    columnShiftY[x] = yByX(x);
  }
  const row = CAPTCHA_WIDTH * 4;
  for (let y = 0; y < CAPTCHA_HEIGHT; y++) {
    const ky = Math.floor(y / KNOT_SPACING);
    const wy = smooth(y / KNOT_SPACING - ky);
    const shiftX = xByY(y);
    const shiftY = y + 0.5 * yByY(y);
    for (let x = 0; x < CAPTCHA_WIDTH; x++) {
      const wx = knotWeight[x]!;
      const k = (ky * columns + knotColumn[x]!) * 2;
      const below = k + columns * 2;
      const w00 = (1 - wx) * (1 - wy);
      const w01 = wx * (1 - wy);
      const w10 = (1 - wx) * wy;
      const w11 = wx * wy;
      const elasticX = knots[k]! * w00 + knots[k + 2]! * w01 + knots[below]! * w10 + knots[below + 2]! * w11;
      const elasticY = knots[k + 1]! * w00 + knots[k + 3]! * w01 + knots[below + 1]! * w10 + knots[below + 3]! * w11;
      const sx = Math.min(CAPTCHA_WIDTH - 1.001, Math.max(0, columnShiftX[x]! + shiftX + elasticX));
      const sy = Math.min(CAPTCHA_HEIGHT - 1.001, Math.max(0, columnShiftY[x]! + shiftY + elasticY));
      const x0 = sx | 0;
      const y0 = sy | 0;
      const fx = sx - x0;
      const fy = sy - y0;
      const a = y0 * row + x0 * 4;
      const o = y * row + x * 4;
      for (let c = 0; c < 3; c++) {
        const top = source[a + c]! + (source[a + 4 + c]! - source[a + c]!) * fx;
        const bottom = source[a + row + c]! + (source[a + row + 4 + c]! - source[a + row + c]!) * fx;
        out[o + c] = top + (bottom - top) * fy;
      }
      out[o + 3] = 255;
    }
  }
  ctx.putImageData(image, 0, 0);
}

/**
 * Draws `text` as a PNG: pale clutter, then each character rotated, slanted,
 * scaled and moved on its own so that neighbours touch, a stroke of the
 * text's colour across them, and the whole image bent by a non-linear warp.
 * Only pixels leave the service: no glyph outline, no text.
 */
export function drawCaptcha(text: string): Buffer {
  const random = randomSource();
  const canvas = createCanvas(CAPTCHA_WIDTH, CAPTCHA_HEIGHT);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = `rgb(${BACKGROUND.join(',')})`;
  ctx.fillRect(0, 0, CAPTCHA_WIDTH, CAPTCHA_HEIGHT);

  for (let i = 0; i < 10; i++) {
    const shade = Math.round(random(150, 200));
    ctx.strokeStyle = `rgb(${shade},${shade},${Math.round(shade * 1.05)})`;
    ctx.lineWidth = random(1, 2.5);
    ctx.beginPath();
    ctx.arc(random(0, CAPTCHA_WIDTH), random(0, CAPTCHA_HEIGHT), random(4, 22), random(0, 2 * Math.PI), random(2, 2 * Math.PI));
    ctx.stroke();
  }

  const ink = `rgb(${Math.round(random(20, 60))},${Math.round(random(20, 50))},${Math.round(random(40, 80))})`;
  ctx.fillStyle = ink;
  // One scale for the whole text, so that a lowercase letter stays smaller than its capital beside it.
  const scale = random(0.94, 1.06);
  let sizes = [...text].map(() => CAPTCHA_FONT_SIZE * scale * random(0.985, 1.015));
  let widths = [...text].map((c, i) => {
    ctx.font = `${sizes[i]!.toFixed(1)}px "${CAPTCHA_FONT_FAMILY}"`;
    return ctx.measureText(c).width;
  });
  // Each character but the last advances by part of its width, so that neighbours touch; wide texts are shrunk to fit.
  const squeeze = random(0.9, 0.95);
  const natural = widths.reduce((sum, w) => sum + w * squeeze, 0) + widths.at(-1)! * (1 - squeeze);
  const fit = Math.min(1, (CAPTCHA_WIDTH - 2 * MARGIN) / natural);
  sizes = sizes.map((size) => size * fit);
  widths = widths.map((width) => width * fit);
  let x = MARGIN + random(0, CAPTCHA_WIDTH - 2 * MARGIN - natural * fit);
  for (const [i, c] of [...text].entries()) {
    ctx.save();
    ctx.font = `${sizes[i]!.toFixed(1)}px "${CAPTCHA_FONT_FAMILY}"`;
    ctx.translate(x + widths[i]! / 2, random(38.75, 40.25));
    ctx.rotate(random(-0.2, 0.2));
    ctx.transform(random(0.9, 1.06), 0, random(-0.12, 0.12), 1, 0, 0);
    ctx.fillText(c, -widths[i]! / 2, 0);
    ctx.restore();
    x += widths[i]! * squeeze;
  }

  // Thin enough not to pass for a part of a letter, in the letters' colour so that no threshold tells them apart.
  ctx.strokeStyle = ink;
  ctx.lineWidth = random(1.3, 1.7);
  for (let i = 0; i < 2; i++) stroke(ctx, random, 22, 44);

  warp(ctx, random);
  return canvas.toBuffer('image/png');
}
