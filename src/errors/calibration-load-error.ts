/** A confidence-calibration table is unknown or broken (a map that falls, a probability outside 0..1). */
export class CalibrationLoadError extends Error {
  override readonly name = 'CalibrationLoadError';
}
