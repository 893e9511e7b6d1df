import { defineConfig } from 'vitest/config';

// Three projects: unit tests need nothing but the source and run in seconds (`npm run test:unit`);
// integration and end-to-end tests run the built programs against real services, so the build runs
// once before them. `npm test` runs all three.
export default defineConfig({
  test: {
    // OCR tests share two cores; running files one by one keeps memory bounded.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/deploy/**/*.test.ts'],
          globalSetup: ['test/build-once.ts'],
        },
      },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/build-once.ts'] } },
    ],
  },
});
