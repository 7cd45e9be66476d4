// Validates every Kubernetes object in a multi-document YAML file (helm template output) against
// the API schemas that npm's kubernetes-models ships (Kubernetes 1.3x, offline). Unknown fields
// and wrong types fail. Usage: node validate-k8s.mjs RENDERED.yaml  (TRIBUTARY_NODE_MODULES: where yaml and kubernetes-models are installed)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(process.env.TRIBUTARY_NODE_MODULES + "/");
const YAML = require("yaml");
const file = process.argv[2];
const docs = YAML.parseAllDocuments(readFileSync(file, "utf8"));
let checked = 0;
const failures = [];
for (const doc of docs) {
  if (doc.errors.length) {
    failures.push(`${file}: YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const object = doc.toJS();
  if (!object) continue;
  const { apiVersion, kind } = object;
  const name = `${kind}/${object.metadata?.name}`;
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const dir = group === "" ? version : `${group}/${version}`;
  let Model;
  try {
    Model = (await import(`${process.env.TRIBUTARY_NODE_MODULES}/kubernetes-models/${dir}/${kind}.js`))[kind];
  } catch (e) {
    failures.push(`${name}: no schema for ${apiVersion} ${kind}`);
    continue;
  }
  try {
    new Model(object).validate();
    checked++;
  } catch (e) {
    failures.push(`${name}: ${e.message.split("\n").slice(0, 6).join(" | ")}`);
  }
}
for (const failure of failures) console.error(`validate-k8s: ${failure}`);
console.log(`validate-k8s: ${file}: ${checked} objects valid, ${failures.length} invalid`);
process.exit(failures.length ? 1 : 0);
