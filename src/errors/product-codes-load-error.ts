/** The product-code grammar table is unknown or broken (its examples not accepted by their shapes). */
export class ProductCodesLoadError extends Error {
  override readonly name = 'ProductCodesLoadError';
}
