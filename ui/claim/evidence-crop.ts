import { h } from '../dom.js';
import type { Box, ReceiptPage } from '../types.js';

/**
 * How tall (CSS px) the text of a crop is shown: at least `least`, so a serial can be read
 * character by character, and magnified twice while that stays under `most`.
 */
const TEXT_HEIGHT = { least: 24, most: 36 };
/** Text is never shown smaller than this, even to keep a long value within `MAX_WIDTH`. */
const MIN_TEXT_HEIGHT = 20;
/** Widest a crop is drawn (CSS px); a longer value scrolls within it. */
const MAX_WIDTH = 480;
/** Page kept around the box, in box heights: the glyphs' edges are never cut off, the next lines hardly show. */
const MARGIN = 0.15;

/**
 * Page images decoded for cropping, by address, the latest few: each page of the claims on screen is
 * fetched (from the browser's cache) and decoded once, and a day of claims does not pile up in memory.
 */
const pageImages = new Map<string, Promise<HTMLImageElement>>();
const KEPT_PAGE_IMAGES = 6;

function pageImage(url: string): Promise<HTMLImageElement> {
  let decoded = pageImages.get(url);
  if (!decoded) {
    if (pageImages.size >= KEPT_PAGE_IMAGES) pageImages.delete(pageImages.keys().next().value!);
    const img = new Image();
    img.src = url;
    decoded = img.decode().then(() => img);
    // A page that failed to load is tried again by the next claim that shows it.
    decoded.catch(() => pageImages.delete(url));
    pageImages.set(url, decoded);
  }
  return decoded;
}

/**
 * The spot `box` of a receipt page, cut from the page image and enlarged so its text is at least
 * 20 px tall on screen: the machine's reading next to what the receipt shows, without zooming the
 * viewer. `description` says what it shows (its accessible name). A crop that cannot be drawn (the
 * page image did not load) is left out; the value beside it stands.
 */
export function evidenceCrop(page: ReceiptPage, box: Box, description: string): HTMLElement {
  const [x0, y0, x1, y1] = box;
  const textHeight = Math.max(1, y1 - y0);
  const margin = Math.max(3, textHeight * MARGIN);
  const region: Box = [Math.max(0, x0 - margin), Math.max(0, y0 - margin), Math.min(page.coordinateWidth, x1 + margin), y1 + margin];
  const regionWidth = region[2] - region[0];
  const regionHeight = region[3] - region[1];
  let scale = Math.min(TEXT_HEIGHT.most, Math.max(TEXT_HEIGHT.least, 2 * textHeight)) / textHeight;
  if (regionWidth * scale > MAX_WIDTH) scale = Math.max(MIN_TEXT_HEIGHT / textHeight, MAX_WIDTH / regionWidth);
  const width = Math.round(regionWidth * scale);
  const height = Math.round(regionHeight * scale);
  const canvas = h('canvas', {
    role: 'img',
    'aria-label': `${description}, enlarged ${scale.toFixed(1)} times`,
    // The page region drawn, in the page's coordinates: what the enlargement is measured against.
    'data-region': region.join(' '),
  });
  // Set through the CSSOM: the page's content security policy refuses inline style attributes.
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const crop = h('div', { class: 'evidence-crop' }, canvas);
  if (width > MAX_WIDTH) {
    // Scrolls sideways: reachable from the keyboard.
    crop.tabIndex = 0;
    crop.setAttribute('role', 'group');
    crop.setAttribute('aria-label', `${description}, scroll sideways`);
  }
  pageImage(page.url).then(
    (img) => {
      const pixelsPerUnit = img.naturalWidth / page.coordinateWidth;
      const density = window.devicePixelRatio || 1;
      canvas.width = Math.round(width * density);
      canvas.height = Math.round(height * density);
      const context = canvas.getContext('2d')!;
      context.imageSmoothingQuality = 'high';
      context.drawImage(
        img,
        region[0] * pixelsPerUnit,
        region[1] * pixelsPerUnit,
        regionWidth * pixelsPerUnit,
        regionHeight * pixelsPerUnit,
        0,
        0,
        canvas.width,
        canvas.height,
      );
      crop.dataset.drawn = 'true';
    },
    () => crop.remove(),
  );
  return crop;
}
