/** A follow-up job a decision asked for: re-check `claimId` because `causeId` was decided after it. */
export interface OutboxEntry {
  id: number;
  kind: 'recheck';
  claimId: string;
  causeId: string;
}
