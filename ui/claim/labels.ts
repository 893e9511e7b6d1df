/** How the workbench names statuses and reviewer actions: never a raw code on screen. */
export const STATUS_LABELS: Record<string, string> = {
  eligible: 'Eligible',
  not_eligible: 'Not eligible',
  needs_review: 'Needs review',
  rejected_input: 'Rejected at intake',
  awaiting_customer: 'Waiting for the customer',
};
export const ACTION_LABELS: Record<string, string> = {
  approve: 'approved',
  reject: 'rejected',
  request_info: 'asked the customer for more',
};

export const label = (labels: Record<string, string>, code: string | undefined) => (code === undefined ? '–' : (labels[code] ?? code));
