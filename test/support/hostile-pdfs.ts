import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import {
  PDFDocument,
  PDFName,
  StandardFonts,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
  concatTransformationMatrix,
  rgb,
} from 'pdf-lib';

/**
 * PDFs made to hurt a reader, built in the test itself: each is small on the wire and costly (or
 * deceptive) once parsed or drawn, like the ones an audit sent.
 */

const SAMPLES = path.resolve(import.meta.dirname, '../../samples');

/** An empty page of the given size in points: a few hundred bytes that draw to a huge canvas. */
export async function tallPagePdf(width = 100, height = 14_400): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage([width, height]);
  return pdf.save();
}

/**
 * A text page that draws a `side`×`side` one-bit image: its Flate stream is a few dozen KiB, its
 * pixels hundreds of millions.
 */
export async function giantImagePdf(side = 20_000): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  page.drawText('MediaMarkt Rechnung 12.03.2024 Samsung Galaxy S24 SM-S921B/DS', { x: 40, y: 780, size: 11, font });
  const packed = Buffer.alloc((side / 8) * side, 0xff);
  const image = pdf.context.stream(deflateSync(packed, { level: 9 }), {
    Type: 'XObject',
    Subtype: 'Image',
    Width: side,
    Height: side,
    BitsPerComponent: 1,
    ColorSpace: 'DeviceGray',
    Filter: 'FlateDecode',
  });
  page.node.setXObject(PDFName.of('Im0'), pdf.context.register(image));
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(200, 0, 0, 200, 40, 40), drawObject('Im0'), popGraphicsState());
  return pdf.save();
}

/** An XMP metadata stream of spaces, Flate-compressed: `inflatedBytes` once inflated, ~1/1000 of it on the wire. */
function metadataStream(inflatedBytes: number): Buffer {
  return deflateSync(Buffer.alloc(inflatedBytes, 0x20), { level: 9 });
}

/** The sample text invoice with a metadata stream that inflates to `inflatedBytes`. */
export async function metadataBombPdf(inflatedBytes = 64 * 1024 * 1024): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(await readFile(path.join(SAMPLES, 'invoice-text.pdf')), { updateMetadata: false });
  const stream = pdf.context.stream(metadataStream(inflatedBytes), { Type: 'Metadata', Subtype: 'XML', Filter: 'FlateDecode' });
  pdf.catalog.set(PDFName.of('Metadata'), pdf.context.register(stream));
  return pdf.save();
}

/**
 * A one-page PDF without a cross-reference table whose body is `bytes` of tiny objects, and whose
 * metadata stream inflates to 64 MiB: a reader must rebuild the object table from the whole file
 * (seconds of work) before it meets the bomb.
 */
export function slowToCheckPdf(bytes = 2_000_000): Buffer {
  const xmp = metadataStream(64 * 1024 * 1024);
  const head = Buffer.from(
    '%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R/Metadata 4 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n' +
      `4 0 obj<</Type/Metadata/Subtype/XML/Filter/FlateDecode/Length ${xmp.byteLength}>>stream\n`,
    'latin1',
  );
  const filler: string[] = [];
  let size = 0;
  for (let n = 5; size < bytes; n++) {
    const object = `${n} 0 obj<</N ${n}>>endobj\n`;
    filler.push(object);
    size += object.length;
  }
  return Buffer.concat([head, xmp, Buffer.from(`\nendstream\nendobj\n${filler.join('')}trailer<</Root 1 0 R>>\n%%EOF\n`, 'latin1')]);
}

/**
 * An invoice with its purchase date drawn in white: the text layer holds the date, the page shows
 * nothing there. Optionally followed by a page of `extraPage` points with a line of terms on it
 * (text, so it is not taken for a scan).
 */
export async function whiteDatePdf(extraPage?: [number, number]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const lines: Array<[string, boolean]> = [
    ['MediaMarkt E-Business GmbH', true],
    ['Wankelstrasse 5, 85046 Ingolstadt', true],
    ['Rechnung Nr. 4417 0093 1181', true],
    ['Rechnungsdatum: 12.03.2024', false],
    ['Samsung Galaxy S24 SM-S921B/DS 899,00 EUR', true],
    ['IMEI: 356938035643809', true],
    ['Summe inkl. MwSt. 899,00 EUR', true],
  ];
  lines.forEach(([text, visible], i) =>
    page.drawText(text, { x: 60, y: 760 - i * 28, size: 14, font, color: visible ? rgb(0, 0, 0) : rgb(1, 1, 1) }),
  );
  if (extraPage) {
    pdf.addPage(extraPage).drawText('Es gelten unsere allgemeinen Geschaeftsbedingungen.', { x: 2, y: extraPage[1] - 20, size: 2, font });
  }
  return pdf.save();
}
