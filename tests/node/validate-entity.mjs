// Backstage's own reading and validation of catalog YAML, for the Python tests.
//
//   node validate-entity.mjs [FILE]            validate every document of FILE (default: stdin)
//   node validate-entity.mjs --parse [FILE]    print the documents as JSON, read as Backstage reads them
//   node validate-entity.mjs --batch MODE      stdin: a JSON array of YAML texts; stdout: a JSON array
//                                              of {ok, error} (MODE validate) or {ok, documents} (parse)
// Exit status: 0 when everything is valid, 1 with the reasons on stderr otherwise, 2 on bad usage.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);
const kindValidators = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
];

function parse(text) {
  return parseAllDocuments(text).map((doc, index) => {
    const problem = doc.errors?.[0];
    if (problem) throw new Error(`document ${index}: YAML error: ${problem.message}`);
    return doc.toJSON();
  });
}

async function validate(text) {
  const documents = parse(text);
  if (documents.length === 0) throw new Error('no YAML documents');
  for (const [index, entity] of documents.entries()) {
    const where = `document ${index} (${entity?.kind ?? 'no kind'} ${entity?.metadata?.name ?? ''})`;
    try {
      const result = await policy.enforce(entity);
      if (!result) throw new Error('rejected by the entity policies');
      let known = false;
      for (const validator of kindValidators) known = (await validator.check(entity)) || known;
      if (entity.kind === 'Template' && entity.apiVersion === 'scaffolder.backstage.io/v1beta3') {
        known = (await templateEntityV1beta3Validator.check(entity)) || known;
      }
      if (!known) throw new Error(`no Backstage validator accepts kind ${entity.kind} at ${entity.apiVersion}`);
    } catch (error) {
      throw new Error(`${where}: ${error.message}`);
    }
  }
}

async function run(mode, text) {
  try {
    if (mode === 'parse') return { ok: true, documents: parse(text) };
    await validate(text);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: String(error.message).replace(/\s+/g, ' ') };
  }
}

const args = process.argv.slice(2);
const readInput = (file) => readFileSync(file ?? 0, 'utf8');
if (args[0] === '--batch') {
  const mode = args[1];
  if (mode !== 'validate' && mode !== 'parse') {
    console.error('usage: validate-entity.mjs --batch validate|parse < texts.json');
    process.exit(2);
  }
  const texts = JSON.parse(readInput());
  const results = [];
  for (const text of texts) results.push(await run(mode, text));
  process.stdout.write(JSON.stringify(results));
} else {
  const mode = args[0] === '--parse' ? 'parse' : 'validate';
  const result = await run(mode, readInput(mode === 'parse' ? args[1] : args[0]));
  if (!result.ok) {
    console.error(result.error);
    process.exit(1);
  }
  if (mode === 'parse') process.stdout.write(JSON.stringify(result.documents, null, 2) + '\n');
}
