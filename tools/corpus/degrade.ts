import sharp, { type Kernel, type OverlayOptions, type Sharp } from 'sharp';
import type { SeededRandom } from '../lib/random.js';

/**
 * What happens to a printed page between the shop and the upload: paper ageing, the flatbed, the
 * phone camera (perspective, uneven light, shadows, blur), the messenger app's recompression, the
 * fax line. Every effect draws from the claim's seeded generator (libvips' own noise is not seeded,
 * so noise is made here), so the same seed gives the same bytes.
 */

export interface PaperLook {
  yellowed: boolean;
  faded: boolean;
  crumpled: boolean;
}

type Raw = { data: Buffer; width: number; height: number; channels: 3 | 4 };

async function toRaw(image: Buffer | Sharp, channels: 3 | 4): Promise<Raw> {
  const pipeline = Buffer.isBuffer(image) ? sharp(image) : image;
  const { data, info } = await (channels === 4 ? pipeline.ensureAlpha() : pipeline.removeAlpha())
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels };
}

const fromRaw = (raw: Raw) => sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } });

/** Between steps images travel as uncompressed PNG: deflating megapixels at every step costs seconds. */
export const intermediate = (image: Sharp) => image.png({ compressionLevel: 0 }).toBuffer();

/** Old thermal paper: a yellow cast, faded print, and for crumpled slips soft folds of light and shade. */
export async function agePaper(image: Buffer, look: PaperLook, rng: SeededRandom): Promise<Buffer> {
  let page = sharp(image);
  if (look.faded) page = page.linear(rng.range(0.55, 0.75), rng.range(55, 85));
  if (look.yellowed) page = page.linear([rng.range(0.97, 1), rng.range(0.91, 0.95), rng.range(0.74, 0.84)], [0, 0, 0]);
  let out = await intermediate(page);
  if (look.crumpled) {
    const { width, height } = await sharp(out).metadata();
    // Folds are soft: drawn and blurred at a quarter of the size, then enlarged.
    const w = Math.round(width / 4);
    const h = Math.round(height / 4);
    const folds: string[] = [];
    for (let i = 0; i < rng.int(3, 7); i++) {
      const x1 = rng.range(0, w);
      const y1 = rng.range(0, h);
      const angle = rng.range(0, Math.PI);
      const length = Math.max(w, h);
      const shade = rng.chance(0.5) ? '#000000' : '#ffffff';
      folds.push(
        `<line x1="${(x1 - Math.cos(angle) * length).toFixed(0)}" y1="${(y1 - Math.sin(angle) * length).toFixed(0)}" x2="${(x1 + Math.cos(angle) * length).toFixed(0)}" y2="${(y1 + Math.sin(angle) * length).toFixed(0)}" stroke="${shade}" stroke-opacity="${rng.range(0.08, 0.2).toFixed(2)}" stroke-width="${rng.int(2, 6)}"/>`,
      );
    }
    const overlay = await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${folds.join('')}</svg>`))
      .blur(rng.range(1, 2.5))
      .resize(width, height, { fit: 'fill' })
      .png()
      .toBuffer();
    out = await intermediate(sharp(out).composite([{ input: overlay }]));
  }
  return out;
}

/** A flatbed scan: the page a little askew on the glass, grey, soft, saved as PNG (or JPEG for PDFs). */
export async function flatbedScan(page: Buffer, rng: SeededRandom, maxSkewDegrees: number): Promise<Buffer> {
  const angle = rng.range(-maxSkewDegrees, maxSkewDegrees);
  const meta = await sharp(page).metadata();
  const resolution = rng.range(0.8, 1.15);
  return sharp(page)
    .resize(Math.round(meta.width * resolution))
    .rotate(angle, { background: rng.pick(['#ffffff', '#f4f4f2', '#e8e8e6']) })
    .blur(rng.range(0.4, 0.9))
    .linear(rng.range(0.9, 1), rng.range(0, 14))
    .grayscale()
    .png()
    .toBuffer();
}

/** Solves the 8 unknowns of the homography that maps the unit square's corners onto `quad`. */
function squareToQuad(quad: Array<[number, number]>): number[] {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = quad as [[number, number], [number, number], [number, number], [number, number]];
  const dx1 = x1 - x2;
  const dx2 = x3 - x2;
  const dy1 = y1 - y2;
  const dy2 = y3 - y2;
  const sx = x0 - x1 + x2 - x3;
  const sy = y0 - y1 + y2 - y3;
  const det = dx1 * dy2 - dx2 * dy1;
  const g = (sx * dy2 - dx2 * sy) / det;
  const h = (dx1 * sy - sx * dy1) / det;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h];
}

/** Inverse of a 3×3 matrix given as its first 8 entries (the 9th is 1). */
function invert(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h] = m as [number, number, number, number, number, number, number, number];
  const i = 1;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A, -(b * i - c * h), b * f - c * e, B, a * i - c * g, -(a * f - c * d), C, -(a * h - b * g), a * e - b * d].map((v) => v / det);
}

/**
 * The page seen by a camera: drawn onto `width` × `height` with its corners at `quad` (top-left,
 * top-right, bottom-right, bottom-left), bilinear, with a transparent outside.
 */
async function warpOnto(page: Buffer, width: number, height: number, quad: Array<[number, number]>): Promise<Raw> {
  const src = await toRaw(page, 3);
  const forward = squareToQuad(quad);
  const back = invert([...forward, 1].slice(0, 8));
  const out = Buffer.alloc(width * height * 4);
  const xs = quad.map((q) => q[0]);
  const ys = quad.map((q) => q[1]);
  const [minX, maxX] = [Math.max(0, Math.floor(Math.min(...xs))), Math.min(width - 1, Math.ceil(Math.max(...xs)))];
  const [minY, maxY] = [Math.max(0, Math.floor(Math.min(...ys))), Math.min(height - 1, Math.ceil(Math.max(...ys)))];
  const [a, b, c, d, e, f, g, h, i] = back as [number, number, number, number, number, number, number, number, number];
  const sw = src.width - 1;
  const sh = src.height - 1;
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) {
      const w = g * x + h * y + i;
      const u = ((a * x + b * y + c) / w) * sw;
      const v = ((d * x + e * y + f) / w) * sh;
      if (u < 0 || v < 0 || u > sw || v > sh) continue;
      const x0 = Math.min(Math.floor(u), sw - 1);
      const y0 = Math.min(Math.floor(v), sh - 1);
      const fx = u - x0;
      const fy = v - y0;
      const o = (y * width + x) * 4;
      for (let ch = 0; ch < 3; ch++) {
        const p00 = src.data[(y0 * src.width + x0) * 3 + ch]!;
        const p10 = src.data[(y0 * src.width + x0 + 1) * 3 + ch]!;
        const p01 = src.data[((y0 + 1) * src.width + x0) * 3 + ch]!;
        const p11 = src.data[((y0 + 1) * src.width + x0 + 1) * 3 + ch]!;
        out[o + ch] = (p00 * (1 - fx) + p10 * fx) * (1 - fy) + (p01 * (1 - fx) + p11 * fx) * fy;
      }
      out[o + 3] = 255;
    }
  }
  return { data: out, width, height, channels: 4 };
}

export interface CameraShot {
  /** The photo before it is saved: raw RGB the messenger step can recompress. */
  image: Sharp;
  width: number;
  height: number;
}

/**
 * A phone photo of the page on a table: perspective (the phone not square to the paper), the
 * paper filling 55–90 % of the frame, light falling off to one side, sometimes the phone's shadow,
 * focus or motion blur, and sensor noise.
 */
export async function cameraPhoto(page: Buffer, rng: SeededRandom): Promise<CameraShot> {
  const meta = await sharp(page).metadata();
  const portrait = meta.height >= meta.width * 0.9;
  const [width, height] = rng.pick<[number, number]>(
    portrait
      ? [
          [2448, 3264],
          [2250, 4000],
          [3000, 4000],
        ]
      : [
          [3264, 2448],
          [4000, 3000],
        ],
  );
  const aspect = meta.height / meta.width;
  const fill = rng.range(0.55, 0.9);
  let pageHeight = height * fill;
  let pageWidth = pageHeight / aspect;
  if (pageWidth > width * fill) {
    pageWidth = width * fill;
    pageHeight = pageWidth * aspect;
  }
  const cx = width / 2 + rng.range(-0.06, 0.06) * width;
  const cy = height / 2 + rng.range(-0.05, 0.05) * height;
  const tilt = rng.range(-0.12, 0.12);
  const keystone = rng.range(-0.09, 0.09) * pageWidth;
  const rotate = (rng.range(-7, 7) * Math.PI) / 180;
  const corner = (dx: number, dy: number, squeeze: number): [number, number] => {
    const x = dx * (pageWidth / 2 + squeeze) + rng.range(-0.012, 0.012) * pageWidth;
    const y = dy * pageHeight * (0.5 + dx * tilt * 0.25) + rng.range(-0.01, 0.01) * pageHeight;
    return [cx + x * Math.cos(rotate) - y * Math.sin(rotate), cy + x * Math.sin(rotate) + y * Math.cos(rotate)];
  };
  const quad = [corner(-1, -1, -keystone), corner(1, -1, -keystone), corner(1, 1, keystone), corner(-1, 1, keystone)];
  // Resample the page close to its size in the frame first: the warp then interpolates, never decimates.
  const scaled = await intermediate(sharp(page).resize(Math.round(pageWidth * 1.05)));
  const warped = await warpOnto(scaled, width, height, quad);

  const table = rng.pick(['#6b5a48', '#3c3a37', '#8a7b68', '#b9b2a6', '#2f3b45', '#d8d2c4']);
  const lightX = rng.range(0, 1).toFixed(2);
  const lightY = rng.range(0, 1).toFixed(2);
  const falloff = rng.range(0.2, 0.5).toFixed(2);
  const light = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><radialGradient id="l" cx="${lightX}" cy="${lightY}" r="1.1"><stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="#000000" stop-opacity="${falloff}"/></radialGradient></defs>
<rect width="${width}" height="${height}" fill="url(#l)"/></svg>`);
  const overlays: OverlayOptions[] = [
    { input: warped.data, raw: { width, height, channels: 4 } },
    { input: light, blend: 'multiply' },
  ];
  if (rng.chance(0.35)) {
    const sx = rng.range(-0.2, 0.7) * width;
    const sy = rng.range(-0.2, 0.6) * height;
    const shadow = await sharp(
      Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><ellipse cx="${sx.toFixed(0)}" cy="${sy.toFixed(0)}" rx="${(width * rng.range(0.25, 0.5)).toFixed(0)}" ry="${(height * rng.range(0.15, 0.35)).toFixed(0)}" fill="#000000" fill-opacity="${rng.range(0.25, 0.5).toFixed(2)}"/></svg>`,
      ),
    )
      .blur(rng.range(40, 90))
      .png()
      .toBuffer();
    overlays.push({ input: shadow });
  }
  overlays.push({ input: await noiseTile(rng, rng.range(3, 9)), tile: true, blend: 'overlay' });
  let shot = fromRaw(await toRaw(sharp({ create: { width, height, channels: 3, background: table } }).composite(overlays), 3));
  const blur = rng.weighted({ sharp: 0.45, focus: 0.35, motion: 0.2 });
  if (blur === 'focus') shot = shot.blur(rng.range(0.8, 1.8));
  if (blur === 'motion') shot = shot.convolve(motionKernel(rng));
  return { image: fromRaw(await toRaw(shot, 3)), width, height };
}

/** A short straight streak: the phone moved while the shutter was open. */
function motionKernel(rng: SeededRandom): Kernel {
  const size = rng.pick([5, 7, 9]);
  const horizontal = rng.chance(0.6);
  const kernel = Array.from({ length: size * size }, (_, i) => {
    const row = Math.floor(i / size);
    const col = i % size;
    const mid = (size - 1) / 2;
    return horizontal ? (row === mid ? 1 : 0) : row === col ? 1 : 0;
  });
  return { width: size, height: size, kernel, scale: size };
}

/** Sensor noise as a seeded grey tile laid over the frame (mid-grey leaves a pixel as it is). */
async function noiseTile(rng: SeededRandom, strength: number): Promise<Buffer> {
  const size = 256;
  const data = Buffer.alloc(size * size);
  for (let i = 0; i < data.length; i++)
    data[i] = Math.max(0, Math.min(255, 128 + (rng.float() + rng.float() + rng.float() - 1.5) * strength * 2));
  return sharp(data, { raw: { width: size, height: size, channels: 1 } })
    .toColourspace('srgb')
    .png()
    .toBuffer();
}

/** The photo as the camera saves it: JPEG with the phone's EXIF. */
export async function saveCameraJpeg(shot: CameraShot, rng: SeededRandom, taken: string): Promise<Buffer> {
  const phone = rng.pick([
    { Make: 'samsung', Model: 'SM-S918B' },
    { Make: 'samsung', Model: 'SM-A546B' },
    { Make: 'Apple', Model: 'iPhone 14' },
    { Make: 'Google', Model: 'Pixel 8' },
    { Make: 'Xiaomi', Model: '23078PND5G' },
  ]);
  return shot.image
    .jpeg({ quality: rng.int(78, 92), chromaSubsampling: '4:2:0' })
    .withExif({
      IFD0: { ...phone, DateTime: `${taken.replace(/-/g, ':')} ${rng.int(8, 21)}:${String(rng.int(10, 59))}:${String(rng.int(10, 59))}` },
    })
    .toBuffer();
}

/**
 * The photo forwarded through a messenger app: scaled so a whole A4 page is about 1300 px long
 * (the app's long-side limit applied to the frame), JPEG quality 50–65, metadata stripped.
 */
export async function messengerForward(shot: CameraShot, rng: SeededRandom): Promise<Buffer> {
  const longSide = rng.int(1200, 1600);
  return shot.image
    .resize(shot.width >= shot.height ? { width: longSide } : { height: longSide })
    .jpeg({ quality: rng.int(50, 65), chromaSubsampling: '4:2:0' })
    .toBuffer();
}

/**
 * A fax: sampled at 204 × 98 dpi (standard) or 204 × 196 (fine), thresholded to black and white
 * with line noise and drop-outs, then shown with square pixels again as fax-to-mail services do.
 */
export async function faxCopy(page: Buffer, rng: SeededRandom): Promise<Buffer> {
  const meta = await sharp(page).metadata();
  const faxWidth = 1728;
  const fine = rng.chance(0.5);
  const aspect = meta.height / meta.width;
  const lines = Math.round(faxWidth * aspect * (fine ? 1 : 0.5));
  const sampled = await toRaw(
    sharp(page).rotate(rng.range(-1.2, 1.2), { background: '#ffffff' }).resize(faxWidth, lines, { fit: 'fill' }),
    3,
  );
  const threshold = rng.int(110, 165);
  for (let i = 0; i < sampled.data.length; i += 3) {
    const v = (sampled.data[i]! + sampled.data[i + 1]! + sampled.data[i + 2]!) / 3 < threshold ? 0 : 255;
    sampled.data[i] = sampled.data[i + 1] = sampled.data[i + 2] = v;
  }
  // Line noise: scattered pixels flipped to the other colour.
  const pixels = sampled.data.length / 3;
  for (let n = Math.round(pixels * rng.range(0.0005, 0.004)); n > 0; n--) {
    const at = rng.int(0, pixels - 1) * 3;
    const v = 255 - sampled.data[at]!;
    sampled.data[at] = sampled.data[at + 1] = sampled.data[at + 2] = v;
  }
  return fromRaw(sampled)
    .resize(faxWidth, Math.round(faxWidth * aspect), { fit: 'fill', kernel: 'nearest' })
    .toColourspace('b-w')
    .png({ palette: true, colours: 2 })
    .toBuffer();
}
