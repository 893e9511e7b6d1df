#!/usr/bin/env node
// The browser tests drive a real headless Chromium. Test runners' own browser downloads are not
// possible on every machine (closed networks), so this uses the system's Chromium: it finds one
// (CHROMIUM_PATH, or chromium on the PATH) or installs Debian's package, and otherwise stops with the
// exact command to run. Runs before `npm test` (the `pretest` script).
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() || undefined;
}

function found() {
  if (process.env.CHROMIUM_PATH) {
    if (executable(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
    fail(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file.`);
  }
  return onPath('chromium');
}

function fail(message) {
  console.error(
    `${message}\nThe browser tests need Chromium. Install it, e.g. on Debian/Ubuntu:\n  sudo apt-get update && sudo apt-get install -y chromium\nor point CHROMIUM_PATH at a Chromium or Chrome binary.`,
  );
  process.exit(1);
}

if (found()) process.exit(0);

const isRoot = process.getuid?.() === 0;
const sudo = !isRoot && onPath('sudo') && spawnSync('sudo', ['-n', 'true']).status === 0;
if (!onPath('apt-get') || !(isRoot || sudo)) fail('Chromium was not found.');

console.error("Chromium was not found: installing Debian's chromium package for the browser tests…");
const prefix = isRoot ? [] : ['sudo', '-n'];
const run = (args) =>
  execFileSync(prefix[0] ?? args[0], [...prefix.slice(1), ...(prefix.length ? args : args.slice(1))], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
run(['apt-get', 'update']);
run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
if (!found()) fail('Installing chromium did not put it on the PATH.');
