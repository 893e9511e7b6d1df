import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ClaimPipeline, type PipelinePorts } from '../../pipelines/claim-pipeline.js';
import type { Config } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { TesseractEngine } from '../ocr/tesseract-engine.js';
import { loadPolicy } from '../policy/policy-table.js';
import { ClaimsRepository } from '../store/claims-repository.js';
import { FingerprintRepository } from '../store/fingerprint-repository.js';
import { configuredDatabase, openDatabase, type Database } from '../store/database.js';

export interface Runtime {
  pipeline: ClaimPipeline;
  claims: ClaimsRepository;
  ocr: TesseractEngine;
  close(): Promise<void>;
}

/** The composition root of the embedded mode: database, OCR pool and policy, wired into the pipeline. */
export async function startRuntime(config: Config, hooks: Pick<PipelinePorts, 'onStageTime'> = {}): Promise<Runtime> {
  const policy = loadPolicy(config.policyVersion);
  await mkdir(config.dataDir, { recursive: true });
  let db: Database | undefined;
  let ocr: TesseractEngine | undefined;
  try {
    [db, ocr] = await Promise.all([
      openDatabase(configuredDatabase(config)),
      TesseractEngine.start({ workers: config.ocrWorkers, languageDataDir: path.join(config.dataDir, 'tessdata') }),
    ]);
  } catch (error) {
    await Promise.allSettled([db?.close(), ocr?.stop()]);
    throw error;
  }
  const claims = new ClaimsRepository(db);
  const pipeline = new ClaimPipeline({
    ocr,
    claims,
    fingerprints: new FingerprintRepository(db),
    policy,
    limits: config.limits,
    defaultCountry: config.defaultCountry,
    today: () => new Date().toISOString().slice(0, 10),
    logger: createLogger(config),
    ...hooks,
  });
  const openDb = db;
  const openOcr = ocr;
  return {
    pipeline,
    claims,
    ocr,
    close: async () => {
      await Promise.allSettled([openOcr.stop(), openDb.close()]);
    },
  };
}
