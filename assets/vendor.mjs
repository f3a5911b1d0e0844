#!/usr/bin/env node
// Copy the built front-end files the templates use from assets/node_modules/
// into zhengshu/static/vendor/. No dependencies; idempotent (each package's
// target folder is emptied and refilled on every run, so files dropped from
// this list or from a new package version never linger).
//
//   npm ci --prefix assets && node assets/vendor.mjs
//
// Paths are resolved from this file, so the working directory does not matter.

import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const assetsDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(assetsDir);
const modules = join(assetsDir, "node_modules");
const vendorDir = join(repoRoot, "zhengshu", "static", "vendor");

// target folder (under vendor/) -> npm package and [source (in package), destination (in target)]
// A source ending in "/" is a folder, copied with its files.
const PLAN = [
  {
    target: "bootstrap",
    pkg: "bootstrap",
    files: [
      ["dist/css/bootstrap.min.css", "bootstrap.min.css"],
      ["dist/css/bootstrap.min.css.map", "bootstrap.min.css.map"],
      ["dist/js/bootstrap.bundle.min.js", "bootstrap.bundle.min.js"],
      ["dist/js/bootstrap.bundle.min.js.map", "bootstrap.bundle.min.js.map"],
      ["LICENSE", "LICENSE"],
    ],
  },
  {
    target: "bootstrap-icons",
    pkg: "bootstrap-icons",
    files: [
      // the css refers to its fonts as url("fonts/bootstrap-icons.woff2?...")
      ["font/bootstrap-icons.min.css", "bootstrap-icons.min.css"],
      ["font/fonts/", "fonts/"],
      ["LICENSE", "LICENSE"],
    ],
  },
  {
    target: "htmx",
    pkg: "htmx.org",
    files: [
      ["dist/htmx.min.js", "htmx.min.js"],
      ["LICENSE", "LICENSE"],
    ],
  },
  {
    target: "echarts",
    pkg: "echarts",
    files: [
      ["dist/echarts.min.js", "echarts.min.js"],
      ["LICENSE", "LICENSE"],
      ["NOTICE", "NOTICE"],
    ],
  },
];

function fail(message) {
  console.error(`vendor.mjs: ${message}`);
  process.exit(1);
}

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

if (!existsSync(modules)) {
  fail(`${relative(repoRoot, modules)} is missing; run "npm ci --prefix assets" first`);
}

const wanted = readJson(join(assetsDir, "package.json")).dependencies ?? {};
let copiedFiles = 0;
let copiedBytes = 0;

function copyOne(src, dest) {
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(src, dest);
  const size = statSync(dest).size;
  copiedFiles += 1;
  copiedBytes += size;
  console.log(`  ${relative(repoRoot, src)} -> ${relative(repoRoot, dest)} (${(size / 1024).toFixed(1)} KiB)`);
}

for (const { target, pkg, files } of PLAN) {
  const pkgDir = join(modules, pkg);
  const pkgJson = join(pkgDir, "package.json");
  if (!existsSync(pkgJson)) fail(`package ${pkg} is not installed; run "npm ci --prefix assets"`);
  const installed = readJson(pkgJson).version;
  if (wanted[pkg] && wanted[pkg] !== installed) {
    fail(`${pkg} ${installed} is installed but package.json pins ${wanted[pkg]}; run "npm ci --prefix assets"`);
  }

  const targetDir = join(vendorDir, target);
  rmSync(targetDir, { recursive: true, force: true });
  console.log(`${pkg}@${installed} -> ${relative(repoRoot, targetDir)}/`);

  for (const [from, to] of files) {
    const src = join(pkgDir, from);
    if (!existsSync(src)) fail(`${pkg}@${installed} has no ${from}`);
    if (from.endsWith("/")) {
      const names = readdirSync(src).filter((name) => statSync(join(src, name)).isFile()).sort();
      if (names.length === 0) fail(`${pkg}@${installed}: ${from} is empty`);
      for (const name of names) copyOne(join(src, name), join(targetDir, to, name));
    } else {
      copyOne(src, join(targetDir, to));
    }
  }
}

console.log(`vendor.mjs: ${copiedFiles} files, ${(copiedBytes / 1024 / 1024).toFixed(2)} MiB in ${relative(repoRoot, vendorDir)}/`);
