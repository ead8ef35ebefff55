#!/usr/bin/env node
// `node scripts/lockfile-platforms.cjs package-lock.json` after any `npm install`.
// The registry mirror of our build machines lacks the other platforms' builds of a few native tools
// (Biome, SWC, the Supabase CLI, Turborepo), so npm leaves their optional platform packages out of
// the lockfile and `npm ci` then refuses it ("Missing: @biomejs/cli-darwin-arm64 from lock file").
// This adds those entries as npm writes them from a complete registry (version, os, cpu, libc;
// no integrity), so `npm ci` validates; each machine still installs only its own platform's build.
const fs = require('node:fs');
const lockPath = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const pk = lock.packages;
let added = 0;
const plat = (name) => {
  const n = name.split('/').pop();
  const os = /android/.test(n)
    ? 'android'
    : /darwin/.test(n)
      ? 'darwin'
      : /win32|windows/.test(n)
        ? 'win32'
        : /linux/.test(n)
          ? 'linux'
          : null;
  const cpu = /arm64/.test(n)
    ? 'arm64'
    : /s390x/.test(n)
      ? 's390x'
      : /ppc64/.test(n)
        ? 'ppc64'
        : /ia32/.test(n)
          ? 'ia32'
          : /gnueabihf|-arm$|-arm-/.test(n)
            ? 'arm'
            : /x64|-64/.test(n)
              ? 'x64'
              : null;
  const libc = /musl/.test(n) ? 'musl' : /gnu/.test(n) && os === 'linux' ? 'glibc' : null;
  return { os, cpu, libc };
};
for (const entry of Object.values(pk)) {
  const opt = entry.optionalDependencies;
  if (!opt) continue;
  for (const [dep, spec] of Object.entries(opt)) {
    const at = `node_modules/${dep}`;
    if (pk[at]) continue;
    if (!/^(@biomejs\/cli-|@swc\/core-|@supabase\/cli-|@turbo\/)/.test(dep)) continue;
    const { os, cpu, libc } = plat(dep);
    if (!os || !cpu) {
      console.error('skip (no platform in name):', dep);
      continue;
    }
    const e = { version: spec.replace(/^[\^~=]/, ''), cpu: [cpu], optional: true, os: [os] };
    if (libc) e.libc = [libc];
    if (entry.dev) e.dev = true;
    if (entry.license) e.license = entry.license;
    if (entry.engines) e.engines = entry.engines;
    pk[at] = e;
    added++;
    console.error('added', at, e.version, os, cpu, libc ?? '');
  }
}
const sorted = {};
for (const k of Object.keys(pk).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))))
  sorted[k] = pk[k];
lock.packages = sorted;
fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.error('added', added);
