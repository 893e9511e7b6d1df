/** How the workbench names statuses and reviewer actions: never a raw code on screen. */
export const STATUS_LABELS: Record<string, string> = {
  eligible: 'Eligible',
  not_eligible: 'Not eligible',
  needs_review: 'Needs review',
  rejected_input: 'Rejected at intake',
  awaiting_customer: 'Waiting for the customer',
  closed: 'Closed: the customer did not answer',
};
export const ACTION_LABELS: Record<string, string> = {
  approve: 'approved',
  reject: 'rejected',
  request_info: 'asked the customer for more',
};

export const label = (labels: Record<string, string>, code: string | undefined) => (code === undefined ? '–' : (labels[code] ?? code));

/** The reasons a request to the customer gave before requests named items: their stored events still read in words. */
export const FORMER_REQUEST_REASONS: Record<string, string> = {
  RECEIPT_ILLEGIBLE: 'The receipt is not legible: send a clearer copy',
  RECEIPT_INCOMPLETE: 'The receipt lacks required items (date, retailer, model, serial)',
  SERIAL_LABEL_PHOTO: "A photo of the product's serial/IMEI label is needed",
  ORIGINAL_INVOICE: 'The original invoice is needed',
};
