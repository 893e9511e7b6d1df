/**
 * How well the workbench's heat regions point at the edits of the generated fraud cases: the
 * regions a reviewer would be shown (the same functions the review page uses, mapped onto the
 * file as the browser shows it) against the boxes the case generator edited.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ClaimResult } from '../../src/domain/result.js';
import { Box } from '../../src/domain/text-layer.js';
import { boxOnOriginal } from '../../src/imaging/box-mapping.js';
import { normalisationGeometry } from '../../src/imaging/normalise.js';
import { heatRegions, offersHeatMap, printAreaOf } from '../../src/services/review/heat-regions.js';
import type { ClaimsRepository } from '../../src/store/claims-repository.js';
import { percent, type Truth } from './scoring.js';

/** What tamper-cases.ts records of an edit: how it was made and the boxes it changed. */
const Edit = z.object({ method: z.string(), boxes: z.array(Box) });

interface Counts {
  claims: number;
  offered: number;
  regions: number;
  regionsOnEdit: number;
  editsFound: number;
}

const overlaps = (a: Box, b: Box) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

/** The regions the review page would outline on a claim, in the pixels of the file as shown. */
async function shownRegions(folder: string, truth: Truth, result: ClaimResult, claims: ClaimsRepository, maxPixels: number) {
  if (!offersHeatMap(result.flags)) return [];
  const heatmap = (await claims.stageOutput(result.claimId, 'signals'))?.output.heatmap;
  const text = (await claims.stageOutput(result.claimId, 'read'))?.output ?? null;
  const readPage = text?.pages.find((p) => p.number === heatmap?.page);
  const printArea = heatmap && printAreaOf(text, heatmap.page);
  if (!heatmap || !printArea || !readPage) return [];
  // Heat maps are made for image uploads only: the file is the page as shown.
  const geometry = await normalisationGeometry(await readFile(path.join(folder, truth.file)), maxPixels);
  return heatRegions(heatmap, printArea).map((r) => boxOnOriginal(r.box, geometry, readPage));
}

/**
 * Per kind of edit (and for clean claims, where every region is a false lead): how many claims were
 * offered a heat map, precision (the share of shown regions that overlap an edited box) and recall
 * (the share of edits with at least one region on them).
 */
export async function heatRegionReport(
  folder: string,
  pairs: Array<{ truth: Truth; result: ClaimResult }>,
  claims: ClaimsRepository,
  maxPixels: number,
): Promise<{ lines: string[]; figures: Record<string, unknown> }> {
  const byKind = new Map<string, Counts>();
  for (const { truth, result } of pairs) {
    const edit = Edit.safeParse(truth.tamper);
    const kind = edit.success ? edit.data.method : truth.scenario === 'clean' ? 'clean' : null;
    if (!kind) continue;
    const edited = edit.success ? edit.data.boxes : [];
    const regions = await shownRegions(folder, truth, result, claims, maxPixels);
    const c = byKind.get(kind) ?? { claims: 0, offered: 0, regions: 0, regionsOnEdit: 0, editsFound: 0 };
    const onEdit = regions.filter((r) => edited.some((e) => overlaps(r, e))).length;
    c.claims++;
    // The workbench offers its toggle only when there is a region to show.
    if (regions.length > 0) c.offered++;
    c.regions += regions.length;
    c.regionsOnEdit += onEdit;
    if (onEdit > 0) c.editsFound++;
    byKind.set(kind, c);
  }
  const lines = [...byKind].map(
    ([kind, c]) =>
      `  ${kind.padEnd(14)} offered ${percent(c.offered, c.claims)} (${c.offered}/${c.claims})  ` +
      `precision ${percent(c.regionsOnEdit, c.regions)} (${c.regionsOnEdit}/${c.regions} regions on the edit)  ` +
      (kind === 'clean' ? '' : `recall ${percent(c.editsFound, c.claims)} (${c.editsFound}/${c.claims} edits with a region on them)`),
  );
  return {
    lines: lines.length
      ? ['heat map regions (shown only where tampering was flagged; a region counts when it overlaps an edited box)', ...lines]
      : [],
    figures: Object.fromEntries(
      [...byKind].map(([kind, c]) => [
        kind,
        { ...c, precision: c.regions ? c.regionsOnEdit / c.regions : null, recall: c.claims ? c.editsFound / c.claims : null },
      ]),
    ),
  };
}
