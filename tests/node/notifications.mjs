// Backstage's notifications backend, in process, on a loopback port, for the Python tests.
//
//   node notifications.mjs [CATALOG.json]
//
// Starts @backstage/plugin-notifications-backend under startTestBackend, on a free port of 127.0.0.1,
// with an in-memory catalog holding the entities of CATALOG.json (a JSON array; a group there is how
// a group recipient becomes its members). The test backend's mock auth stands in for a deployment's
// backend.auth.externalAccess static token. Once it serves, one JSON line goes to stdout:
//
//   {"url": "http://127.0.0.1:PORT", "serviceToken": "...", "userTokens": {"user:default/NAME": "..."}}
//
// serviceToken is what an outside caller sends as `Authorization: Bearer ...` to POST notifications;
// each User entity of the catalog gets a token of its own, to read its inbox (GET
// /api/notifications/notifications). It runs until its stdin closes or it gets SIGTERM.
import { readFileSync } from 'node:fs';
import { Server } from 'node:net';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

const [catalogFile] = process.argv.slice(2);
const entities = catalogFile ? JSON.parse(readFileSync(catalogFile, 'utf8')) : [];

// The test backend listens on every address (host ""); this one answers on loopback only.
const listen = Server.prototype.listen;
Server.prototype.listen = function loopback(port, host, ...rest) {
  return listen.call(this, port, host === '' ? '127.0.0.1' : host, ...rest);
};

let backend;
try {
  backend = await startTestBackend({
    features: [
      import('@backstage/plugin-notifications-backend'),
      mockServices.rootConfig.factory({ data: { app: { baseUrl: 'http://127.0.0.1:3000' } } }),
      catalogServiceMock.factory({ entities }),
    ],
  });
} catch (error) {
  process.stderr.write(`the notifications backend did not start: ${error.stack ?? error}\n`);
  process.exit(1);
}
const url = `http://127.0.0.1:${backend.server.port()}`;

const userTokens = Object.fromEntries(
  entities
    .filter((entity) => entity.kind === 'User')
    .map((entity) => stringifyEntityRef(entity))
    .map((ref) => [ref, mockCredentials.user.token(ref)]),
);
process.stdout.write(`${JSON.stringify({ url, serviceToken: mockCredentials.service.token(), userTokens })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await backend.stop();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
