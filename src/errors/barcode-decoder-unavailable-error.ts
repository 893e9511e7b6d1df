/** The barcode decoder's WebAssembly binary is not installed beside its package: an installation fault, never a customer's. */
export class BarcodeDecoderUnavailableError extends Error {
  override readonly name = 'BarcodeDecoderUnavailableError';
}
