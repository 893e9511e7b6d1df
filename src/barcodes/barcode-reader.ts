import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes, type ReadResult } from 'zxing-wasm/reader';
import { BarcodeDecoderUnavailableError } from '../errors/barcode-decoder-unavailable-error.js';

/**
 * The one module that imports zxing-wasm (ZXing-C++ compiled to WebAssembly). The package fetches
 * its .wasm from a CDN unless told otherwise; here the binary is read from node_modules, so a
 * decode never touches the network, and a missing binary stops the process at its start instead of
 * downloading.
 */

/** The symbologies device labels and boxes carry: serial/IMEI in Code 128, DataMatrix or QR; EAN/UPC and Code 39 are cheap to add. */
export const LABEL_FORMATS = ['Code128', 'DataMatrix', 'QRCode', 'Code39', 'EAN13', 'EAN8', 'UPCA'] as const;

/** Corners of a symbol as found, in the pixels given: top-left, top-right, bottom-right, bottom-left. */
export type Corners = readonly [readonly [number, number], readonly [number, number], readonly [number, number], readonly [number, number]];

export interface DecodedSymbol {
  /** Human-readable symbology name ("Code 128", "Data Matrix", "QR Code"). */
  format: string;
  /** The payload; a GS1 payload as element strings with application identifiers in brackets ("(21)R5CX…"). */
  text: string;
  corners: Corners;
}

/** One byte per pixel, row by row. */
export interface GrayPixels {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Where the decoder's binary is installed; exported for the test that proves decoding needs nothing else. */
export const DECODER_WASM_PATH = installedBinary();

function installedBinary(): string {
  try {
    return createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
  } catch (error) {
    throw new BarcodeDecoderUnavailableError(
      `the barcode decoder's binary is not installed (${(error as Error).message}); reinstall zxing-wasm`,
    );
  }
}

/** The decoder's binary, read from `file`; BarcodeDecoderUnavailableError when it is not there. */
export function readDecoderBinary(file: string = DECODER_WASM_PATH): ArrayBuffer {
  try {
    const bytes = readFileSync(file);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  } catch (error) {
    throw new BarcodeDecoderUnavailableError(
      `the barcode decoder's binary ${file} cannot be read (${(error as Error).message}); reinstall zxing-wasm`,
    );
  }
}

// Read as this module loads, so an installation without the binary fails as the process starts,
// not claim by claim; the WebAssembly module is instantiated at the first decode.
prepareZXingModule({
  overrides: {
    wasmBinary: readDecoderBinary(),
    // The loader still names a location for the binary it was given: the local file, never the CDN.
    locateFile: () => DECODER_WASM_PATH,
  },
});

const HRI_NAMES: Record<string, string> = {
  Code128: 'Code 128',
  DataMatrix: 'DataMatrix',
  QRCode: 'QR code',
  Code39: 'Code 39',
  EAN13: 'EAN-13',
  EAN8: 'EAN-8',
  UPCA: 'UPC-A',
};

/**
 * Every valid label symbol in a gray image. `tryHarder` and rotation are on: label photos come
 * turned and skewed. Symbols that fail their checks are not returned, so a damaged code gives
 * nothing rather than a guess.
 */
export async function decodeSymbols(pixels: GrayPixels, maxSymbols = 8): Promise<DecodedSymbol[]> {
  const { width, height } = pixels;
  // The decoder takes RGBA (it converts to luminance itself); gray is copied into each channel.
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < pixels.data.length; i++, j += 4) {
    const v = pixels.data[i]!;
    rgba[j] = v;
    rgba[j + 1] = v;
    rgba[j + 2] = v;
    rgba[j + 3] = 255;
  }
  const results = await readBarcodes(
    { data: rgba, width, height, colorSpace: 'srgb' },
    {
      formats: [...LABEL_FORMATS],
      tryHarder: true,
      tryRotate: true,
      tryInvert: false,
      tryDownscale: true,
      maxNumberOfSymbols: maxSymbols,
      returnErrors: false,
    },
  );
  return results.filter((r) => r.isValid && r.text !== '').map(symbolOf);
}

function symbolOf(result: ReadResult): DecodedSymbol {
  const { topLeft, topRight, bottomRight, bottomLeft } = result.position;
  return {
    format: HRI_NAMES[result.format] ?? result.format,
    text: result.text,
    corners: [
      [topLeft.x, topLeft.y],
      [topRight.x, topRight.y],
      [bottomRight.x, bottomRight.y],
      [bottomLeft.x, bottomLeft.y],
    ],
  };
}
