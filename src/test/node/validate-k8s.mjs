// Validates Kubernetes manifests (a multi-document YAML file, as `helm template` prints) offline
// against the Kubernetes API schemas of the npm package kubernetes-models (and the Prometheus
// Operator's, @kubernetes-models/prometheus-operator, for ServiceMonitor). Prints one line per
// document, "ok <apiVersion> <kind> <name>" or "INVALID ... : <errors>", and exits 1 when any
// document is invalid or of a kind without a schema.
//
//   node validate-k8s.mjs <node_modules dir> rendered.yaml
//
// The packages are ES modules with an exports map; they are imported by file path from the given
// node_modules (installed by the test into a cache directory, not next to this script).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [nodeModules, file] = process.argv.slice(2);
const YAML = (await import(pathToFileURL(path.join(nodeModules, 'yaml', 'dist', 'index.js')).href)).default;

async function modelFor(apiVersion, kind) {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.substring(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
  const pkg = group === 'monitoring.coreos.com'
    ? path.join(nodeModules, '@kubernetes-models', 'prometheus-operator')
    : path.join(nodeModules, 'kubernetes-models');
  const js = path.join(pkg, group, version, `${kind}.js`);
  if (!/^[A-Za-z0-9]+$/.test(kind) || !fs.existsSync(js)) return null;
  const mod = await import(pathToFileURL(js).href);
  return mod[kind] || mod.default;
}

const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
let bad = 0;
let count = 0;
for (const doc of docs) {
  if (doc.errors.length > 0) {
    console.log(`INVALID yaml: ${doc.errors.map((e) => e.message).join('; ')}`);
    bad++;
    continue;
  }
  const obj = doc.toJS();
  if (obj === null || obj === undefined) continue;
  count++;
  const name = obj.metadata && obj.metadata.name;
  const Model = await modelFor(String(obj.apiVersion), String(obj.kind));
  if (!Model) {
    console.log(`INVALID ${obj.apiVersion} ${obj.kind} ${name}: no schema for this kind`);
    bad++;
    continue;
  }
  try {
    new Model(obj).validate();
    console.log(`ok ${obj.apiVersion} ${obj.kind} ${name}`);
  } catch (e) {
    const details = e.errors ? JSON.stringify(e.errors) : String(e.message || e);
    console.log(`INVALID ${obj.apiVersion} ${obj.kind} ${name}: ${details}`);
    bad++;
  }
}
console.log(`${count} documents, ${bad} invalid`);
process.exit(bad === 0 && count > 0 ? 0 : 1);
