// Backstage's scaffolder backend in process, dispatching to a loopback GitHub, for the Python tests.
//
// stdin, one JSON document per line. The first: {"entities": [...]}: the templates (and any users
// and groups) the in-memory catalog holds. Each next one is a task:
//   {"template": "ecr-request", "values": {...}, "user": "user:default/amelia.park",
//    "workflows": {"create-ecr-registry.yml": "<the workflow's YAML text>"}}
// and gets one line on stdout:
//   {"status": "completed" | "failed" | "refused", "error": "...", "log": [...],
//    "dispatches": [{"owner", "repo", "workflow", "body", "status", "answer"}]}
// "refused": the backend would not start the task (e.g. a value outside the form's enum).
// A line {"answer": {"workflow": "<YAML>", "body": {...}}} gets what the loopback GitHub answers that
// dispatch: {"status": 204 | 422, "answer": "..."}.
//
// The loopback GitHub answers POST /repos/{owner}/{repo}/actions/workflows/{id}/dispatches as the REST
// API does, from the workflow file the task names: 204, or 422 for a workflow of more than 25 inputs,
// an input it does not declare, a required input not given, a value outside a choice's options.
import http from 'node:http';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import YAML from 'yaml';

const require = createRequire(import.meta.url);
const { startTestBackend, mockServices, mockCredentials } = require('@backstage/backend-test-utils');
const { catalogServiceMock } = require('@backstage/plugin-catalog-node/testUtils');

const INPUTS_MAX = 25;
const TOKEN = 'loopback-token';

function dispatchAnswer(workflowText, body) {
  const workflow = YAML.parse(workflowText, { version: '1.2' });
  const trigger = workflow?.on?.workflow_dispatch;
  if (trigger === undefined) {
    return [422, "Workflow does not have 'workflow_dispatch' trigger"];
  }
  const declared = (trigger && trigger.inputs) || {};
  const names = Object.keys(declared);
  if (names.length > INPUTS_MAX) {
    return [422, `you may only define up to ${INPUTS_MAX} \`inputs\` for a \`workflow_dispatch\` event`];
  }
  if (typeof body.ref !== 'string' || body.ref === '') {
    return [422, 'Invalid request: ref is required'];
  }
  const given = body.inputs ?? {};
  const unexpected = Object.keys(given).filter((name) => !names.includes(name));
  if (unexpected.length > 0) {
    return [422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`];
  }
  for (const name of names) {
    const input = declared[name] || {};
    if (input.required === true && !(name in given) && input.default === undefined) {
      return [422, `Required input '${name}' not provided`];
    }
    if (input.type === 'choice' && name in given) {
      const options = (input.options || []).map(String);
      if (!options.includes(String(given[name]))) {
        return [422, `Provided value '${given[name]}' for input '${name}' not in the list of allowed values`];
      }
    }
  }
  return [204, ''];
}

function loopbackGitHub(state) {
  const pattern = /^\/repos\/([^/]+)\/([^/]+)\/actions\/workflows\/([^/]+)\/dispatches$/;
  return http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const match = req.method === 'POST' ? pattern.exec(req.url) : null;
      const reply = (status, message) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status === 204 ? '' : JSON.stringify({ message, documentation_url: 'https://docs.github.com/rest' }));
      };
      if (req.headers.authorization !== `token ${TOKEN}` && req.headers.authorization !== `Bearer ${TOKEN}`) {
        return reply(401, 'Bad credentials');
      }
      if (!match) {
        return reply(404, 'Not Found');
      }
      const [owner, repo, workflow] = match.slice(1).map(decodeURIComponent);
      const body = JSON.parse(text || '{}');
      const source = state.workflows[workflow];
      const [status, answer] = source === undefined ? [404, 'Not Found'] : dispatchAnswer(source, body);
      state.dispatches.push({ owner, repo, workflow, body, status, answer });
      reply(status, answer);
    });
  });
}

async function runTask(backend, job, state) {
  state.workflows = job.workflows ?? {};
  state.dispatches = [];
  const headers = { 'content-type': 'application/json', authorization: mockCredentials.user.header(job.user) };
  const base = `http://localhost:${backend.server.port()}/api/scaffolder/v2`;
  const created = await fetch(`${base}/tasks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ templateRef: `template:default/${job.template}`, values: job.values }),
  });
  if (created.status !== 201) {
    return { status: 'refused', error: `${created.status} ${await created.text()}`, log: [], dispatches: [] };
  }
  const { id } = await created.json();
  let task;
  for (let tries = 0; tries < 600; tries += 1) {
    task = await (await fetch(`${base}/tasks/${id}`, { headers })).json();
    if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const events = await (await fetch(`${base}/tasks/${id}/events`, { headers })).json();
  const log = events.filter((e) => e.type === 'log').map((e) => e.body.message);
  const error = events.find((e) => e.type === 'completion' && e.body.error)?.body.error?.message ?? null;
  return { status: task.status, error, log, dispatches: state.dispatches };
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  const { entities } = JSON.parse(first.value);
  const state = { workflows: {}, dispatches: [] };
  const github = loopbackGitHub(state);
  await new Promise((resolve) => github.listen(0, '127.0.0.1', resolve));
  const backend = await startTestBackend({
    features: [
      import('@backstage/plugin-scaffolder-backend'),
      import('@backstage/plugin-scaffolder-backend-module-github'),
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          integrations: {
            github: [{ host: 'github.com', apiBaseUrl: `http://127.0.0.1:${github.address().port}`, token: TOKEN }],
          },
        },
      }),
    ],
  });
  process.stdout.write(JSON.stringify({ ready: true }) + '\n');
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    if (!next.value.trim()) continue;
    let result;
    try {
      const job = JSON.parse(next.value);
      if (job.answer) {
        const [status, answer] = dispatchAnswer(job.answer.workflow, job.answer.body);
        result = { status, answer };
      } else {
        result = await runTask(backend, job, state);
      }
    } catch (error) {
      result = { status: 'harness-error', error: String(error?.stack ?? error), log: [], dispatches: [] };
    }
    process.stdout.write(JSON.stringify(result) + '\n');
  }
  process.exit(0); // the backend's own stop() waits on timers of its plugins; nothing here needs it
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
