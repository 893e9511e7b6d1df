import { execFileSync } from 'node:child_process';

/**
 * Integration and end-to-end tests run the built programs (CLI, worker), as a user does: build them
 * from the current source first, once per test run however many projects ask for it.
 */
export default function setup(): void {
  if (process.env.WARRANTY_TEST_BUILD_DONE) return;
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  process.env.WARRANTY_TEST_BUILD_DONE = '1';
}
