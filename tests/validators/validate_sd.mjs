// Check the JSON-LD of HTML pages against the schema.org vocabulary with Adobe's validator.
// Usage: node validate_sd.mjs [--strict] [--json] SCHEMAORG_JSONLD FILE.html...
// --strict also fails on warnings (a property the type does not have); --json prints one JSON
// object per file ({file, types, issues}) for tests to read. Exit code 1 on failure.
import { readFileSync } from 'node:fs';
import Validator from '@adobe/structured-data-validator';
import WebAutoExtractor from '@marbec/web-auto-extractor';

let args = process.argv.slice(2);
const strict = args.includes('--strict');
const json = args.includes('--json');
args = args.filter((a) => a !== '--strict' && a !== '--json');
const [schemaPath, ...files] = args;
const schemaOrgJson = JSON.parse(readFileSync(schemaPath, 'utf8'));
let bad = 0;
for (const file of files) {
  const extracted = new WebAutoExtractor({ addLocation: true, embedSource: ['rdfa', 'microdata'] }).parse(readFileSync(file, 'utf8'));
  const issues = await new Validator(schemaOrgJson).validate(extracted);
  const types = Object.keys(extracted.jsonld || {});
  for (const issue of issues) if (issue.severity === 'ERROR' || strict) bad++;
  if (json) {
    const rows = issues.map((i) => ({ severity: i.severity, message: i.issueMessage, path: i.path }));
    console.log(JSON.stringify({ file, types, issues: rows }));
    continue;
  }
  console.log(`== ${file}: ${types.join(',') || 'none'} -> ${issues.length} issues`);
  for (const issue of issues) console.log(`  ${issue.severity} ${issue.issueMessage} path=${JSON.stringify(issue.path)}`);
}
process.exit(bad ? 1 : 0);
