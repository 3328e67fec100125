import { createCanvas, loadImage } from '@napi-rs/canvas';

// A captcha solver built the way a robot holding the service's font would
// build it. The raster is binarised (Otsu), then looked at three ways: as is,
// opened (strokes thinner than three pixels wiped), and with its long thin
// lines followed from the margins and wiped where they run alone. Each view
// is segmented, and each segment compared with the font's characters drawn at
// a few rotations and slants, by normalised correlation of their shapes and
// by their sizes (which tell "c" from "C"). Two segmentations compete:
// connected components (cut or dropped to six), and six slices whose cuts are
// chosen by dynamic programming to maximise their matches (segmentation by
// recognition, which copes with touching characters; on the view as is it
// never did better than on the other two, and is left out for time). The
// reading whose characters match best wins.

/** A binary image: 1 where there is ink. */
interface Mask {
  width: number;
  height: number;
  ink: Uint8Array;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Which pixels of a box belong to the segment: all the inked ones, or those of one label. */
interface Selection {
  labels: Int32Array;
  label: number;
}

interface Shape {
  fine: Float32Array;
  coarse: Float32Array;
  logWidth: number;
  logHeight: number;
}

interface Template extends Shape {
  char: string;
  width: number;
}

interface Match {
  char: string;
  score: number;
}

interface Reading {
  text: string;
  score: number;
}

export interface SolverOptions {
  alphabet: readonly string[];
  fontFamily: string;
  fontSize: number;
  rotations: readonly number[];
  /** Horizontal slants (x += slant × y) the templates are drawn with, besides their rotations. */
  slants: readonly number[];
  /** The range of scales characters may be drawn at: sizes within it cost nothing, beyond it their distance to it. */
  scales: readonly [number, number];
}

export interface Solution {
  text: string;
  /** The reading of each strategy, the winner's included. */
  strategies: Record<string, string>;
}

const FINE = 12;
const COARSE = FINE / 2;
/** Templates kept from the coarse comparison for the fine one. */
const SHORTLIST = 16;
/** Beyond this gap of sizes (logarithm of the ratio of heights, plus half that of widths), a template is no candidate. */
const MAX_SIZE_GAP = 0.25;
const SIZE_WEIGHT = 1;
/** Where dynamic programming may cut, in pixels. */
const CUT_STEP = 4;
const MIN_WIDTH = 8;

async function decode(png: Buffer): Promise<{ width: number; height: number; luminance: Float32Array }> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  const luminance = new Float32Array(image.width * image.height);
  for (let i = 0; i < luminance.length; i++) luminance[i] = 0.299 * data[i * 4]! + 0.587 * data[i * 4 + 1]! + 0.114 * data[i * 4 + 2]!;
  return { width: image.width, height: image.height, luminance };
}

/** Otsu's threshold: the one that best separates the histogram in two classes. */
function otsu(values: Float32Array): number {
  const histogram = new Float64Array(256);
  for (const v of values) histogram[Math.min(255, Math.max(0, Math.round(v)))]!++;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * histogram[i]!;
  let below = 0;
  let sumBelow = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    below += histogram[t]!;
    if (below === 0 || below === values.length) continue;
    sumBelow += t * histogram[t]!;
    const above = values.length - below;
    const between = below * above * (sumBelow / below - (sum - sumBelow) / above) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

function binarise(image: { width: number; height: number; luminance: Float32Array }): Mask {
  const threshold = otsu(image.luminance);
  const ink = new Uint8Array(image.luminance.length);
  for (let i = 0; i < ink.length; i++) ink[i] = image.luminance[i]! <= threshold ? 1 : 0;
  return { width: image.width, height: image.height, ink };
}

function morph(mask: Mask, erode: boolean): Mask {
  const { width, height } = mask;
  const ink = new Uint8Array(mask.ink.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let all = 1;
      let any = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          const v = yy < 0 || yy >= height || xx < 0 || xx >= width ? 0 : mask.ink[yy * width + xx]!;
          all &= v;
          any |= v;
        }
      }
      ink[y * width + x] = erode ? all : any;
    }
  }
  return { width, height, ink };
}

/** Erosion then dilation: strokes thinner than three pixels go, thicker ones stay. */
const open = (mask: Mask): Mask => morph(morph(mask, true), false);

/** The vertical runs of ink of a column, as [first row, last row]. */
function runs(mask: Mask, x: number): [number, number][] {
  const out: [number, number][] = [];
  for (let y = 0; y < mask.height; y++) {
    if (!mask.ink[y * mask.width + x]) continue;
    const start = y;
    while (y + 1 < mask.height && mask.ink[(y + 1) * mask.width + x]) y++;
    out.push([start, y]);
  }
  return out;
}

/**
 * Follows each long thin line across the image from where it is alone (in a
 * margin, left or right), and wipes it wherever it is no thicker than it was
 * there: where a character's stroke crosses it, only the line's own rows go.
 */
function removeLines(mask: Mask, maxThickness: number): Mask {
  const ink = new Uint8Array(mask.ink);
  const out: Mask = { width: mask.width, height: mask.height, ink };
  for (const [from, step] of [
    [0, 1],
    [mask.width - 1, -1],
  ] as const) {
    // The first inked column from this side: its thin runs are where lines enter.
    let x0 = from;
    while (x0 >= 0 && x0 < mask.width && runs(mask, x0).length === 0) x0 += step;
    if (x0 < 0 || x0 >= mask.width) continue;
    for (const run of runs(mask, x0).filter(([a, b]) => b - a + 1 <= maxThickness)) {
      let centre = (run[0] + run[1]) / 2;
      let thickness = run[1] - run[0] + 1;
      for (let x = x0; x >= 0 && x < mask.width; x += step) {
        const near = runs(out, x).filter(([a, b]) => Math.abs((a + b) / 2 - centre) <= 3 || (a <= centre && centre <= b));
        if (near.length === 0) continue;
        const [a, b] = near.reduce((m, r) => (Math.abs((r[0] + r[1]) / 2 - centre) < Math.abs((m[0] + m[1]) / 2 - centre) ? r : m));
        if (b - a + 1 <= thickness + 1) {
          for (let y = a; y <= b; y++) ink[y * mask.width + x] = 0;
          centre = (a + b) / 2;
          thickness = Math.max(2, Math.min(maxThickness, b - a + 1));
        } else {
          for (let y = Math.round(centre - thickness / 2); y <= Math.round(centre + thickness / 2); y++) {
            if (y > a && y < b) continue;
            if (y >= 0 && y < mask.height) ink[y * mask.width + x] = 0;
          }
        }
      }
    }
  }
  return out;
}

function normalise(f: Float32Array): Float32Array {
  let mean = 0;
  for (const v of f) mean += v;
  mean /= f.length;
  let norm = 0;
  for (let i = 0; i < f.length; i++) {
    f[i]! -= mean;
    norm += f[i]! ** 2;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < f.length; i++) f[i]! /= norm;
  return f;
}

/** The segment's ink sampled on a FINE×FINE grid stretched over its box (and on a COARSE one), centred and of unit norm. */
function shape(mask: Mask, box: Box, selection?: Selection): Shape {
  const fine = new Float32Array(FINE * FINE);
  const coarse = new Float32Array(COARSE * COARSE);
  const w = box.x1 - box.x0 + 1;
  const h = box.y1 - box.y0 + 1;
  for (let gy = 0; gy < FINE; gy++) {
    for (let gx = 0; gx < FINE; gx++) {
      let v = 0;
      for (let s = 0; s < 4; s++) {
        const x = box.x0 + Math.floor(((gx + 0.25 + 0.5 * (s & 1)) * w) / FINE);
        const y = box.y0 + Math.floor(((gy + 0.25 + 0.5 * (s >> 1)) * h) / FINE);
        const i = y * mask.width + x;
        if (mask.ink[i] && (!selection || selection.labels[i] === selection.label)) v++;
      }
      fine[gy * FINE + gx] = v / 4;
      coarse[(gy >> 1) * COARSE + (gx >> 1)]! += v / 16;
    }
  }
  return { fine: normalise(fine), coarse: normalise(coarse), logWidth: Math.log(w), logHeight: Math.log(h) };
}

function inkBox(mask: Mask, within: Box, selection?: Selection): Box | null {
  let box: Box | null = null;
  for (let y = within.y0; y <= within.y1; y++) {
    for (let x = within.x0; x <= within.x1; x++) {
      const i = y * mask.width + x;
      if (!mask.ink[i] || (selection && selection.labels[i] !== selection.label)) continue;
      if (!box) box = { x0: x, y0: y, x1: x, y1: y };
      else {
        box.x0 = Math.min(box.x0, x);
        box.x1 = Math.max(box.x1, x);
        box.y0 = Math.min(box.y0, y);
        box.y1 = Math.max(box.y1, y);
      }
    }
  }
  return box;
}

function drawTemplates(options: SolverOptions): Template[] {
  const size = Math.ceil(options.fontSize * 2.2);
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext('2d');
  const out: Template[] = [];
  for (const char of options.alphabet) {
    for (const rotation of options.rotations) {
      for (const slant of options.slants) {
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, size, size);
        ctx.fillStyle = '#000';
        ctx.font = `${options.fontSize}px "${options.fontFamily}"`;
        const width = ctx.measureText(char).width;
        ctx.translate(size / 2, size * 0.62);
        ctx.rotate(rotation);
        ctx.transform(1, 0, -slant, 1, 0, 0);
        ctx.fillText(char, -width / 2, 0);
        const { data } = ctx.getImageData(0, 0, size, size);
        const ink = new Uint8Array(size * size);
        for (let i = 0; i < ink.length; i++) ink[i] = data[i * 4]! < 128 ? 1 : 0;
        const mask: Mask = { width: size, height: size, ink };
        const box = inkBox(mask, { x0: 0, y0: 0, x1: size - 1, y1: size - 1 })!;
        out.push({ char, width: box.x1 - box.x0 + 1, ...shape(mask, box) });
      }
    }
  }
  return out;
}

function components(mask: Mask): { labels: Int32Array; parts: (Box & { area: number; label: number })[] } {
  const labels = new Int32Array(mask.ink.length).fill(-1);
  const parts: (Box & { area: number; label: number })[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.ink.length; start++) {
    if (!mask.ink[start] || labels[start] !== -1) continue;
    const part = { x0: mask.width, y0: mask.height, x1: 0, y1: 0, area: 0, label: parts.length };
    labels[start] = part.label;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % mask.width;
      const y = (i - x) / mask.width;
      part.area++;
      part.x0 = Math.min(part.x0, x);
      part.x1 = Math.max(part.x1, x);
      part.y0 = Math.min(part.y0, y);
      part.y1 = Math.max(part.y1, y);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= mask.width || yy >= mask.height) continue;
          const j = yy * mask.width + xx;
          if (mask.ink[j] && labels[j] === -1) {
            labels[j] = part.label;
            stack.push(j);
          }
        }
      }
    }
    parts.push(part);
  }
  return { labels, parts };
}

const dot = (a: Float32Array, b: Float32Array) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
};

export function buildSolver(options: SolverOptions) {
  // Sorted by height: a segment is compared with the templates of about its size only.
  const bank = drawTemplates(options).sort((a, b) => a.logHeight - b.logHeight);
  const maxWidth = Math.max(...bank.map((t) => t.width)) * options.scales[1];
  const [smallest, largest] = options.scales.map(Math.log) as [number, number];
  /** How far a size is from a template's range of sizes, on a logarithmic scale. */
  const gap = (value: number, template: number) => Math.max(0, template + smallest - value, value - template - largest);

  const shortScores = new Float64Array(SHORTLIST);
  const shortIndices = new Int32Array(SHORTLIST);
  const shortPenalties = new Float64Array(SHORTLIST);

  function classify(s: Shape): Match {
    let lo = 0;
    let hi = bank.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bank[mid]!.logHeight + largest < s.logHeight - MAX_SIZE_GAP) lo = mid + 1;
      else hi = mid;
    }
    // The SHORTLIST best by the coarse comparison, in decreasing order, kept in place.
    shortScores.fill(-Infinity);
    let kept = 0;
    for (let k = lo; k < bank.length && bank[k]!.logHeight + smallest <= s.logHeight + MAX_SIZE_GAP; k++) {
      const t = bank[k]!;
      const penalty = SIZE_WEIGHT * (gap(s.logHeight, t.logHeight) + 0.5 * gap(s.logWidth, t.logWidth));
      if (penalty > SIZE_WEIGHT * MAX_SIZE_GAP) continue;
      const score = dot(s.coarse, t.coarse) - penalty;
      if (score <= shortScores[SHORTLIST - 1]!) continue;
      let at = Math.min(kept, SHORTLIST - 1);
      for (; at > 0 && shortScores[at - 1]! < score; at--) {
        shortScores[at] = shortScores[at - 1]!;
        shortIndices[at] = shortIndices[at - 1]!;
        shortPenalties[at] = shortPenalties[at - 1]!;
      }
      shortScores[at] = score;
      shortIndices[at] = k;
      shortPenalties[at] = penalty;
      kept = Math.min(kept + 1, SHORTLIST);
    }
    let best: Match = { char: '?', score: -1 };
    for (let n = 0; n < kept; n++) {
      const template = bank[shortIndices[n]!]!;
      const score = dot(s.fine, template.fine) - shortPenalties[n]!;
      if (score > best.score) best = { char: template.char, score };
    }
    return best;
  }

  const reading = (matches: Match[]): Reading => ({
    text: matches.map((m) => m.char).join(''),
    score: matches.reduce((sum, m) => sum + m.score, 0) / matches.length,
  });

  function byComponents(mask: Mask, length: number): Reading | null {
    const { labels, parts } = components(mask);
    // Specks go, and so do long flat parts: noise strokes, not characters.
    const groups = parts
      .filter((p) => p.area >= 6 && !(p.x1 - p.x0 > maxWidth * 1.5 && p.y1 - p.y0 < options.fontSize * 0.35))
      .sort((a, b) => a.x0 - b.x0)
      .map((p) => ({ box: { x0: p.x0, y0: p.y0, x1: p.x1, y1: p.y1 } as Box, members: [p.label], area: p.area }));
    // A small part mostly above or below another one (the dot of a j) belongs to it.
    for (let i = 0; i + 1 < groups.length; ) {
      const [a, b] = [groups[i]!, groups[i + 1]!];
      const overlap = Math.min(a.box.x1, b.box.x1) - Math.max(a.box.x0, b.box.x0) + 1;
      if (overlap >= 0.6 * Math.min(a.box.x1 - a.box.x0 + 1, b.box.x1 - b.box.x0 + 1) && Math.min(a.area, b.area) < 60) {
        const box = { x0: Math.min(a.box.x0, b.box.x0), y0: Math.min(a.box.y0, b.box.y0), x1: Math.max(a.box.x1, b.box.x1), y1: Math.max(a.box.y1, b.box.y1) };
        groups.splice(i, 2, { box, members: [...a.members, ...b.members], area: a.area + b.area });
      } else i++;
    }
    // Too many: the smallest groups go.
    while (groups.length > length) groups.splice(groups.reduce((m, g, i) => (g.area < groups[m]!.area ? i : m), 0), 1);
    const segment = new Int32Array(labels.length).fill(-1);
    const owner = new Map<number, number>();
    groups.forEach((g, i) => g.members.forEach((label) => owner.set(label, i)));
    for (let p = 0; p < labels.length; p++) if (labels[p]! >= 0) segment[p] = owner.get(labels[p]!) ?? -1;
    const segments = groups.map((g, i) => ({ box: g.box, label: i }));
    // Too few: the widest is cut at its column of least ink, away from its edges.
    while (segments.length < length && segments.length > 0) {
      const wide = segments.reduce((m, s, i) => (s.box.x1 - s.box.x0 > segments[m]!.box.x1 - segments[m]!.box.x0 ? i : m), 0);
      const { box, label } = segments[wide]!;
      const w = box.x1 - box.x0 + 1;
      if (w < 2 * MIN_WIDTH) return null;
      let cut = box.x0 + (w >> 1);
      let least = Infinity;
      for (let x = box.x0 + Math.floor(w * 0.3); x <= box.x1 - Math.floor(w * 0.3); x++) {
        let count = 0;
        for (let y = box.y0; y <= box.y1; y++) if (segment[y * mask.width + x] === label) count++;
        if (count < least) [least, cut] = [count, x];
      }
      const right = Math.max(...segments.map((s) => s.label)) + 1;
      for (let y = box.y0; y <= box.y1; y++) for (let x = cut; x <= box.x1; x++) if (segment[y * mask.width + x] === label) segment[y * mask.width + x] = right;
      const left = inkBox(mask, { ...box, x1: cut - 1 }, { labels: segment, label });
      const rest = inkBox(mask, { ...box, x0: cut }, { labels: segment, label: right });
      if (!left || !rest) return null;
      segments.splice(wide, 1, { box: left, label }, { box: rest, label: right });
    }
    if (segments.length !== length) return null;
    return reading(segments.sort((a, b) => a.box.x0 - b.box.x0).map((s) => classify(shape(mask, s.box, { labels: segment, label: s.label }))));
  }

  function byRecognition(mask: Mask, length: number): Reading | null {
    // Per column, its first and last inked rows: a slice's box comes from them.
    const top = new Int32Array(mask.width).fill(-1);
    const bottom = new Int32Array(mask.width).fill(-1);
    let first = -1;
    let last = -1;
    for (let x = 0; x < mask.width; x++) {
      let count = 0;
      for (let y = 0; y < mask.height; y++) {
        if (!mask.ink[y * mask.width + x]) continue;
        count++;
        if (top[x] === -1) top[x] = y;
        bottom[x] = y;
      }
      if (count >= 2) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first < 0) return null;
    const cuts: number[] = [];
    for (let x = first; x <= last; x += CUT_STEP) cuts.push(x);
    cuts.push(last + 1);
    const memo = new Map<number, Match>();
    const slice = (i: number, j: number): Match => {
      const key = i * cuts.length + j;
      let match = memo.get(key);
      if (!match) {
        let box: Box | null = null;
        for (let x = cuts[i]!; x < cuts[j]!; x++) {
          if (top[x] === -1) continue;
          if (!box) box = { x0: x, y0: top[x]!, x1: x, y1: bottom[x]! };
          else [box.x1, box.y0, box.y1] = [x, Math.min(box.y0, top[x]!), Math.max(box.y1, bottom[x]!)];
        }
        match = box ? classify(shape(mask, box)) : { char: '?', score: -1 };
        memo.set(key, match);
      }
      return match;
    };
    // best[k][j]: the best total of k characters whose last one ends at cut j.
    const best = Array.from({ length: length + 1 }, () => cuts.map(() => ({ score: -Infinity, from: -1 })));
    best[0]![0] = { score: 0, from: -1 };
    for (let k = 1; k <= length; k++) {
      for (let j = 1; j < cuts.length; j++) {
        for (let i = j - 1; i >= 0 && cuts[j]! - cuts[i]! <= maxWidth; i--) {
          if (cuts[j]! - cuts[i]! < MIN_WIDTH || best[k - 1]![i]!.score === -Infinity) continue;
          const total = best[k - 1]![i]!.score + slice(i, j).score;
          if (total > best[k]![j]!.score) best[k]![j] = { score: total, from: i };
        }
      }
    }
    if (best[length]![cuts.length - 1]!.score === -Infinity) return null;
    const matches: Match[] = [];
    for (let k = length, j = cuts.length - 1; k > 0; k--) {
      const i = best[k]![j]!.from;
      matches.unshift(slice(i, j));
      j = i;
    }
    return reading(matches);
  }

  return async (png: Buffer, length: number): Promise<Solution> => {
    const mask = binarise(await decode(png));
    const opened = open(mask);
    const unlined = removeLines(mask, 6);
    const strategies: Record<string, Reading | null> = {
      components: byComponents(mask, length),
      'opened, components': byComponents(opened, length),
      'opened, recognition': byRecognition(opened, length),
      'line removed, components': byComponents(unlined, length),
      'line removed, recognition': byRecognition(unlined, length),
    };
    const best = Object.values(strategies).reduce<Reading>((m, r) => (r && r.score > m.score ? r : m), { text: '', score: -Infinity });
    return { text: best.text, strategies: Object.fromEntries(Object.entries(strategies).map(([name, r]) => [name, r?.text ?? ''])) };
  };
}
