/**
 * The layers of the code, checked in CI (`npm run lint`). From the bottom:
 *   domain, errors          types and rules of the domain; import nothing else of ours
 *   config, observability, runtime, auth, documents
 *                           settings, metrics, crash points, password hashing, the receipt file
 *                           formats (PDF via pdf.js, images via sharp)
 *   stages                  intake, imaging, ocr, barcodes, extract, fraud, policy: plain functions of the pipeline
 *   store, storage, queue   adapters of PostgreSQL/PGlite, S3 or files, Redis/BullMQ
 *   pipelines/, reprocess, services
 *                           the stages composed, with the adapters as ports
 *   api, cli, composition, workers/
 *                           ways of running, wired in src/composition
 * A layer imports only from layers below it. Each external system is imported by one module.
 */
const STAGES = '^src/(intake|imaging|ocr|barcodes|extract|fraud|policy)/';
const ADAPTERS = '^src/(store|storage|queue)/';
const WAYS_OF_RUNNING = '^(src/(api|cli|composition)|workers)/';

/** `dependency` may be imported only from `allowedFrom` (a path pattern); type-only imports count too. */
const onlyFrom = (name, dependency, allowedFrom, comment) => ({
  name,
  comment,
  severity: 'error',
  from: { path: '^(src|pipelines|workers)/', pathNot: allowedFrom },
  to: { path: `^node_modules/(${dependency})/` },
});

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules that import each other cannot be read or tested apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'product-not-measurement',
      severity: 'error',
      comment: 'Evaluation, benchmarks, corpora and tests live outside the product and are not shipped.',
      from: { path: '^(src|pipelines|workers)/' },
      to: { path: '^(tools|test|bench)/' },
    },
    {
      name: 'domain-at-the-bottom',
      severity: 'error',
      comment: 'The domain is types and rules: it imports nothing of ours but errors.',
      from: { path: '^src/(domain|errors)/' },
      to: { path: '^(src|pipelines|workers)/', pathNot: '^src/(domain|errors)/' },
    },
    {
      name: 'base-below-stages',
      severity: 'error',
      comment: 'Settings, metrics, hashing and the file formats serve everything above; they know nothing of it.',
      from: { path: '^src/(config|observability|runtime|auth|documents)/' },
      to: { path: '^(src|pipelines|workers)/', pathNot: '^src/(domain|errors|config|observability|runtime|auth|documents)/' },
    },
    {
      name: 'stages-are-plain-functions',
      severity: 'error',
      comment: 'A stage takes its inputs and ports as arguments: it never reaches for storage, queues or services.',
      from: { path: STAGES },
      to: { path: '^(src/(store|storage|queue|services|reprocess|api|cli|composition)|pipelines|workers)/' },
    },
    {
      name: 'adapters-below-services',
      severity: 'error',
      comment: 'An adapter maps one external system to domain types; it knows no stage, service or way of running.',
      from: { path: ADAPTERS },
      to: { path: `${STAGES}|^(src/(services|reprocess|api|cli|composition)|pipelines|workers)/` },
    },
    {
      name: 'services-below-ways-of-running',
      severity: 'error',
      comment: 'Services and pipelines are wired by the ways of running, never the other way round.',
      from: { path: '^(src/(services|reprocess)|pipelines)/' },
      to: { path: WAYS_OF_RUNNING },
    },
    {
      name: 'api-wired-in-composition',
      severity: 'error',
      comment: 'Routes reach services through the ports the API process composes; only the main starts it.',
      from: { path: '^src/api/', pathNot: '^src/api/main\\.ts$' },
      to: { path: '^(src/(composition|cli|store)|workers)/', dependencyTypesNot: ['type-only'] },
    },
    onlyFrom('one-s3-module', 'minio', '^src/storage/s3-receipt-storage\\.ts$', 'Every use of object storage is in one module.'),
    onlyFrom(
      'one-database-module',
      'pg|@electric-sql',
      '^src/store/database\\.ts$',
      'Every connection to PostgreSQL or PGlite is opened in one module.',
    ),
    onlyFrom(
      'one-http-client-module',
      'undici',
      '^src/services/webhook-sender\\.ts$',
      'Every outgoing HTTP request (webhook deliveries) goes through one module, with its address checks.',
    ),
    onlyFrom('one-ocr-module', 'tesseract\\.js', '^src/ocr/tesseract-engine\\.ts$', 'Every use of the OCR engine is in one module.'),
    onlyFrom(
      'one-barcode-module',
      'zxing-wasm',
      '^src/barcodes/barcode-reader\\.ts$',
      'The barcode decoder is loaded in one module, from its local binary (never the CDN it defaults to).',
    ),
    onlyFrom('one-pdf-module', 'pdf-parse|pdfjs-dist', '^src/documents/pdf-document\\.ts$', 'Every PDF is opened through PdfDocument.'),
    onlyFrom(
      'one-image-decoder',
      'sharp',
      '^src/documents/untrusted-image\\.ts$',
      'Customer images are decoded under one set of limits (decodeUntrusted); sharp is imported there alone.',
    ),
    {
      name: 'one-queue-module',
      severity: 'error',
      comment: 'Queues and Redis connections are made in src/queue and the workers; composition names their types.',
      from: { path: '^(src|pipelines)/', pathNot: '^src/queue/' },
      to: { path: '^node_modules/(bullmq|ioredis)/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
