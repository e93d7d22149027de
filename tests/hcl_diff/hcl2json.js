// hcl2json.js - HashiCorp's reading of HCL files, for the differential test
// (tests/cli/test_hcl_diff.py).
//
// Usage: node hcl2json.js NODE_MODULES_DIR FILE...
// Prints one JSON object: { "FILE": {"ok": true, "json": "<hcl2json output>"}
//                                 | {"ok": false, "error": "<why>"} , ... }
// "json" is kept as the exact text produced by the Go converter (hashicorp/hcl
// v2 + tmccombs/hcl2json, built for JavaScript as the npm package
// hcl2-parser) so that large numbers survive unrounded until Python parses
// them. Blocks appear as nested objects keyed by type then labels, ending in
// an array of bodies; expressions appear as "${...}" strings.
"use strict";

const fs = require("fs");
const path = require("path");

const [modulesDir, ...files] = process.argv.slice(2);
if (!modulesDir || files.length === 0) {
  process.stderr.write("usage: node hcl2json.js NODE_MODULES_DIR FILE...\n");
  process.exit(2);
}

const hcl = require(path.join(path.resolve(modulesDir), "hcl2-parser"));

const results = {};
for (const file of files) {
  try {
    const text = fs.readFileSync(file, "utf8");
    // parseToString returns [jsonText, error]; the GopherJS error object does
    // not carry its message, so a rejection is reported without details.
    const [out, err] = hcl.parseToString(text);
    if (err || out === "") {
      results[file] = { ok: false, error: "rejected by HashiCorp's parser (no message available)" };
    } else {
      results[file] = { ok: true, json: out };
    }
  } catch (e) {
    const first = String(e && e.message ? e.message : e).split("\n")[0].slice(0, 300);
    results[file] = { ok: false, error: "converter crashed: " + first };
  }
}
process.stdout.write(JSON.stringify(results));
