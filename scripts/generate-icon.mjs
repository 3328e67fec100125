// Draws build/icon.png (512×512, RGBA), the desktop app's icon, from which
// electron-builder derives the Windows, macOS and Linux icons. Pure Node
// (zlib for the PNG's deflate stream): nothing is downloaded. Run it again
// after changing the drawing: node scripts/generate-icon.mjs
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const SIZE = 512;
const SAMPLES = 4; // per axis: 16 samples a pixel smooth the edges
const BLUE = [0, 0, 145]; // DSFR "bleu France"
const RED = [225, 0, 15]; // DSFR "rouge Marianne"
const WHITE = [255, 255, 255];

function insideRoundedRect(x, y, left, top, right, bottom, radius) {
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** The colour at a point, or null outside the icon: a person at a counter, on a blue tile. */
function paint(x, y) {
  if (!insideRoundedRect(x, y, 16, 16, 496, 496, 96)) return null;
  if ((x - 256) ** 2 + (y - 178) ** 2 <= 64 ** 2) return WHITE;
  const shoulders = ((x - 256) / 124) ** 2 + ((y - 352) / 104) ** 2 <= 1 && y <= 352;
  if (shoulders || insideRoundedRect(x, y, 132, 340, 380, 372, 0)) return WHITE;
  if (insideRoundedRect(x, y, 96, 372, 416, 412, 12)) return RED;
  return BLUE;
}

const pixels = Buffer.alloc(SIZE * SIZE * 4);
for (let py = 0; py < SIZE; py++) {
  for (let px = 0; px < SIZE; px++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let covered = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const colour = paint(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        if (!colour) continue;
        r += colour[0];
        g += colour[1];
        b += colour[2];
        covered += 1;
      }
    }
    const at = (py * SIZE + px) * 4;
    if (covered > 0) {
      pixels[at] = Math.round(r / covered);
      pixels[at + 1] = Math.round(g / covered);
      pixels[at + 2] = Math.round(b / covered);
    }
    pixels[at + 3] = Math.round((covered / SAMPLES ** 2) * 255);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bits per channel
header[9] = 6; // RGBA
// Each scanline starts with its filter type: 0, none.
const scanlines = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) pixels.copy(scanlines, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(scanlines, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const target = fileURLToPath(new URL('../build/icon.png', import.meta.url));
fs.writeFileSync(target, png);
console.log(`${target} : ${SIZE}×${SIZE}, ${png.length} octets`);
