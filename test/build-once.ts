import { execFileSync } from 'node:child_process';

/** The end-to-end tests run the built CLI, as a user does: build it from the current source first. */
export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
