/**
 * The schema check behind `npm run check:schemas` and test/integration/simulator/schemas.test.ts: drives every
 * operation the simulator implements against a fresh simulator and validates each request body it sends and
 * each response body it gets against MongoDB's official OpenAPI schemas for that path, method, status and
 * version; a response must not carry a write-only field (a password). Every route of the simulator must be
 * answered with a success at least once, so a new route cannot be left out of the check. The spec is read from
 * where it lives (reference/atlas-openapi-subset.json beside the repository); it is never copied in.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { request } from 'undici';
import { allRoutes } from './handlers/index.ts';
import { isCustomMethod, matchPath } from './routes.ts';
import { startSimulator } from './server.ts';

type Json = Record<string, unknown>;

type Content = Record<string, { schema: Json }>;

interface Spec {
  paths: Record<
    string,
    Record<string, { requestBody?: { content?: Content }; responses: Record<string, { content?: Content }> }>
  >;
  components: { schemas: Record<string, Json> };
}

interface Exchange {
  method: string;
  path: string;
  version: string;
  body?: unknown;
}

/** Where the spec lives: `shared/reference/` beside the repository (not the repository's own `shared/`). */
export const DEFAULT_SPEC_PATH = fileURLToPath(
  new URL('../../../shared/reference/atlas-openapi-subset.json', import.meta.url),
);

export interface SchemaCheckOptions {
  specPath: string;
  /** `demo` (default) or `large:PxC`. */
  seed?: string;
}

export interface SchemaCheckResult {
  responsesChecked: number;
  /** One line per response that does not match its schema. */
  failures: string[];
  /** The spec's own defects the check works around (each printed with the result). */
  specFixes: string[];
}

/** Runs the check; resolves with what was checked and what failed. */
/**
 * MongoDB's spec at `specPath`, made usable by a JSON Schema validator (the fixes are listed), with validators
 * for request and response bodies: what the check below uses, and what a test of the client's own requests
 * uses (test/integration/simulator/client-requests.test.ts).
 */
export async function specValidators(specPath: string) {
  const spec = JSON.parse(await readFile(specPath, 'utf8')) as Spec;

  /**
   * The spec as published cannot be used by a JSON Schema validator as is; each change here is a defect of the
   * spec, not a licence for the simulator, and is printed with the result.
   */
  const specFixes: string[] = [];
  const schemas = spec.components.schemas;
  const ref = (name: string) => `#/components/schemas/${name}`;
  // 1. Discriminated oneOf whose children allOf-reference the parent loops forever: give the children a base
  //    without the oneOf, and turn the parent's oneOf into if/then on the discriminator's value.
  for (const [name, schema] of Object.entries({ ...schemas })) {
    const discriminator = schema.discriminator as
      | { propertyName: string; mapping?: Record<string, string> }
      | undefined;
    if (!discriminator) continue;
    delete schema.discriminator;
    if (!schema.oneOf) continue;
    const mapping = discriminator.mapping ?? {};
    const base = { ...schema };
    delete base.oneOf;
    schemas[`${name}__base`] = base;
    for (const target of Object.values(mapping)) {
      const child = schemas[target.replace('#/components/schemas/', '')];
      for (const part of (child?.allOf as Json[] | undefined) ?? [])
        if (part.$ref === ref(name)) part.$ref = ref(`${name}__base`);
    }
    delete schema.oneOf;
    schema.allOf = [
      ...((schema.allOf as Json[] | undefined) ?? []),
      {
        required: [discriminator.propertyName],
        properties: { [discriminator.propertyName]: { enum: Object.keys(mapping) } },
      },
      ...Object.entries(mapping).map(([value, target]) => ({
        if: {
          properties: { [discriminator.propertyName]: { const: value } },
          required: [discriminator.propertyName],
        },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
        then: { $ref: target },
      })),
    ];
    specFixes.push(`${name}: discriminated oneOf checked as if/then on ${discriminator.propertyName}`);
  }
  // 2. Undiscriminated oneOf lists overlap (instance sizes, regions), so "exactly one" never holds: anyOf; and a
  //    `type: object` beside a oneOf of strings is dropped.
  (function relaxOneOf(node: unknown): void {
    if (Array.isArray(node)) {
      for (const item of node) relaxOneOf(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const object = node as Json;
    if (object.oneOf) {
      if (object.type === 'object' && (object.oneOf as Json[]).every((o) => o.type === 'string'))
        delete object.type;
      object.anyOf = object.oneOf;
      delete object.oneOf;
    }
    for (const value of Object.values(object)) relaxOneOf(value);
  })(schemas);
  specFixes.push('undiscriminated oneOf checked as anyOf');
  // 3. ApiError.parameters holds the message's values (strings, numbers), not objects.
  const apiErrorProperties = schemas.ApiError?.properties as Record<string, Json> | undefined;
  if (apiErrorProperties?.parameters) apiErrorProperties.parameters.items = {};
  specFixes.push('ApiError.parameters: any values');
  // 4. routeTableCidrBlock is a CIDR block (its description says so), but its pattern forbids the /mask.
  const awsPeering = schemas.AwsNetworkPeeringConnectionSettings?.properties as Json | undefined;
  if (awsPeering?.routeTableCidrBlock) delete (awsPeering.routeTableCidrBlock as Json).pattern;
  specFixes.push('routeTableCidrBlock: CIDR allowed');

  // 5. CloudAppUser (org users, 2023-01-01) requires a write-only password and a mobileNumber in responses.
  const appUser = schemas.CloudAppUser;
  if (appUser && Array.isArray(appUser.required)) {
    appUser.required = (appUser.required as string[]).filter((f) => f !== 'password' && f !== 'mobileNumber');
  }
  specFixes.push('CloudAppUser: password and mobileNumber not required in responses');

  // 7. Some schemas were converted with their numbers and booleans as strings (`"minimum": "1"`,
  //    `"uniqueItems": "true"`, `"readOnly": "true"`), which a validator refuses to compile: read them as what
  //    they say.
  const NUMERIC = ['minimum', 'maximum', 'minItems', 'maxItems', 'minLength', 'maxLength'];
  const BOOLEAN = ['uniqueItems', 'readOnly', 'writeOnly', 'nullable', 'deprecated'];
  let retyped = 0;
  (function retype(node: unknown): void {
    if (Array.isArray(node)) {
      for (const item of node) retype(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const object = node as Json;
    for (const [key, value] of Object.entries(object)) {
      if (typeof value === 'string' && NUMERIC.includes(key) && /^\d+$/.test(value)) {
        object[key] = Number(value);
        retyped += 1;
      } else if (typeof value === 'string' && BOOLEAN.includes(key) && /^(true|false)$/.test(value)) {
        object[key] = value === 'true';
        retyped += 1;
      } else retype(value);
    }
  })(schemas);
  if (retyped > 0) specFixes.push(`${retyped} numeric or boolean keywords written as strings read as values`);

  // 8. A field both write-only and required (CloudDatabaseUser.groupId) cannot hold in responses; Atlas
  //    answers with it (atlas-sdk-go reads CloudDatabaseUser.GroupId as a required field). Every other
  //    write-only field must stay out of responses (the response validator below refuses it).
  const requiredWriteOnly = new Set<Json>();
  for (const [name, schema] of Object.entries(schemas)) {
    const properties = (schema.properties ?? {}) as Record<string, Json>;
    for (const field of (schema.required as string[] | undefined) ?? []) {
      const property = properties[field];
      if (property?.writeOnly === true) {
        requiredWriteOnly.add(property);
        specFixes.push(`${name}.${field}: write-only but required, allowed in responses`);
      }
    }
  }

  // 6. accepterRegionName is null in answers for a VPC in the container's own region (the Terraform provider,
  //    internal/service/networkpeering/resource.go `ensureAccepterRegionName`), though the spec types it string.
  const accepterRegion = awsPeering?.accepterRegionName as Json | undefined;
  if (accepterRegion) accepterRegion.nullable = true;
  specFixes.push('accepterRegionName: null allowed');

  // The spec's patterns are Java regular expressions: `\:` is no valid escape in unicode mode, `\p{L}` needs it.
  const regExp = Object.assign(
    (source: string, flags: string) => {
      try {
        return new RegExp(source, flags);
      } catch {
        return new RegExp(source, flags.replace('u', ''));
      }
    },
    { code: 'regExp' },
  );
  /** A validator for requests, or one for responses that refuses write-only fields. */
  function makeAjv(direction: 'request' | 'response'): Ajv {
    const ajv = new Ajv({ strict: false, allErrors: true, code: { regExp } });
    (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
    for (const format of ['int32', 'int64', 'double', 'float', 'password']) ajv.addFormat(format, true);
    if (direction === 'response') {
      ajv.removeKeyword('writeOnly');
      // The keyword sits on the field's own schema, which is applied only to a field that is present.
      ajv.addKeyword({
        keyword: 'writeOnly',
        schemaType: 'boolean',
        errors: false,
        validate: (writeOnly: boolean, _data: unknown, parentSchema?: unknown) =>
          !writeOnly || requiredWriteOnly.has(parentSchema as Json),
      });
    }
    // Each its own copy: the keyword above must see the very objects `requiredWriteOnly` holds.
    ajv.addSchema(
      { components: { schemas: direction === 'response' ? schemas : structuredClone(schemas) } },
      'spec',
    );
    return ajv;
  }
  const ajvs = { request: makeAjv('request'), response: makeAjv('response') };
  const validators = new Map<string, ReturnType<Ajv['compile']>>();
  function validatorFor(schema: Json, direction: 'request' | 'response') {
    const key = JSON.stringify(schema);
    let validate = validators.get(`${direction} ${key}`);
    if (!validate) {
      validate = ajvs[direction].compile(
        JSON.parse(key.replaceAll('"#/components/schemas/', '"spec#/components/schemas/')),
      );
      validators.set(`${direction} ${key}`, validate);
    }
    return validate;
  }
  const errorsText = (validate: ReturnType<Ajv['compile']>) =>
    ajvs.response.errorsText(validate.errors, { separator: '\n    ' }) || 'a write-only field is present';

  /** The spec's operation for a call: its path template (custom methods before plain parameters) and method. */
  function specOperation(exchange: Pick<Exchange, 'method' | 'path'>) {
    const path = `/api/atlas/v2${exchange.path.split('?')[0]}`;
    const method = exchange.method.toLowerCase();
    const templates = Object.keys(spec.paths).filter(
      (p) => matchPath(p, path) !== undefined && spec.paths[p]?.[method],
    );
    const template = templates.find((p) => isCustomMethod(p)) ?? templates[0];
    return template ? spec.paths[template]?.[method] : undefined;
  }

  /** What is wrong with a request body against the spec for its path, method and version; undefined when nothing. */
  function requestProblems(exchange: Exchange): string | undefined {
    const mediaType = `application/vnd.atlas.${exchange.version}+json`;
    const label = `${exchange.method} ${exchange.path} (${exchange.version}) request body`;
    const schema = specOperation(exchange)?.requestBody?.content?.[mediaType]?.schema;
    if (!schema) return `${label}: the spec declares no request body of this version`;
    const validate = validatorFor(schema, 'request');
    return validate(exchange.body) ? undefined : `${label}: ${errorsText(validate)}`;
  }

  return { spec, specFixes, ref, validatorFor, errorsText, specOperation, requestProblems };
}

export async function checkSchemas(options: SchemaCheckOptions): Promise<SchemaCheckResult> {
  const { specFixes, ref, validatorFor, errorsText, specOperation, requestProblems } = await specValidators(
    options.specPath,
  );

  const sim = await startSimulator({ port: 0, seed: options.seed ?? 'demo', peeringTransitionMs: 10 });
  const basic = Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64');
  /** A fresh bearer token (moving the simulator's clock past an hour expires the old one). */
  async function newToken(): Promise<string> {
    const tokenRes = await request(`${sim.url}/api/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    return ((await tokenRes.body.json()) as { access_token: string }).access_token;
  }
  let token = await newToken();

  let checked = 0;
  const failures: string[] = [];
  /** The simulator's routes (`METHOD path`) answered with a success so far. */
  const covered = new Set<string>();

  /** The route of the simulator that serves a call, as the server picks it (custom methods first). */
  function routeOf(method: string, path: string): string | undefined {
    const apiPath = path.split('?')[0] ?? '';
    const found = allRoutes.filter((r) => r.method === method && matchPath(r.path, apiPath) !== undefined);
    const route = found.find((r) => isCustomMethod(r.path)) ?? found[0];
    return route && `${route.method} ${route.path}`;
  }

  /** Sends one call, validates the request and the answer against the spec, and returns the parsed body. */
  async function call(exchange: Exchange): Promise<unknown> {
    const mediaType = `application/vnd.atlas.${exchange.version}+json`;
    if (exchange.body !== undefined) {
      const problems = requestProblems(exchange);
      if (problems) failures.push(problems);
    }
    const res = await request(`${sim.url}/api/atlas/v2${exchange.path}`, {
      method: exchange.method as 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        accept: mediaType,
        ...(exchange.body === undefined ? {} : { 'content-type': mediaType }),
      },
      ...(exchange.body === undefined ? {} : { body: JSON.stringify(exchange.body) }),
    });
    const text = await res.body.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    const label = `${exchange.method} ${exchange.path} (${exchange.version}) → ${res.statusCode}`;
    const schema = schemaFor(exchange, res.statusCode, String(res.headers['content-type'] ?? ''));
    if (schema === 'no-body') {
      if (text !== '') failures.push(`${label}: the spec declares no body, got ${text.slice(0, 80)}`);
    } else if (!schema) {
      failures.push(`${label}: no schema in the spec for this answer`);
    } else {
      const validate = validatorFor(schema, 'response');
      if (!validate(body)) failures.push(`${label}: ${errorsText(validate)}`);
    }
    if (res.statusCode < 400) {
      const route = routeOf(exchange.method, exchange.path);
      if (route) covered.add(route);
    }
    checked += 1;
    return body;
  }

  /** The declared schema of an answer; every error answer is an `ApiError`, declared or not. */
  function schemaFor(exchange: Exchange, status: number, contentType: string): Json | 'no-body' | undefined {
    if (status >= 400) return { $ref: ref('ApiError') };
    if (status === 204) return 'no-body';
    const response = specOperation(exchange)?.responses[String(status)];
    if (!response) return undefined;
    if (!response.content) return 'no-body';
    const entry = response.content[contentType.split(';')[0] ?? ''];
    if (!entry) return status === 204 ? 'no-body' : undefined;
    return entry.schema;
  }

  try {
    const orgId = sim.orgId;
    const list = async (path: string, version: string) =>
      ((await call({ method: 'GET', path, version })) as { results: Record<string, unknown>[] }).results;

    await list('/orgs', '2023-01-01');
    const projects = await list('/groups', '2023-01-01');
    await list(`/orgs/${orgId}/groups`, '2023-01-01');
    await list('/clusters', '2023-01-01');
    for (const project of projects) {
      const groupId = String(project.id);
      await call({ method: 'GET', path: `/groups/${groupId}`, version: '2023-01-01' });
      for (const version of ['2023-01-01', '2023-02-01', '2024-08-05']) {
        const clusters = await list(`/groups/${groupId}/clusters`, version);
        for (const cluster of clusters)
          await call({ method: 'GET', path: `/groups/${groupId}/clusters/${cluster.name}`, version });
      }
      for (const flex of await list(`/groups/${groupId}/flexClusters`, '2024-11-13')) {
        await call({
          method: 'GET',
          path: `/groups/${groupId}/flexClusters/${flex.name}`,
          version: '2024-11-13',
        });
      }
      for (const provider of ['AWS', 'AZURE', 'GCP']) {
        await list(`/groups/${groupId}/peers?providerName=${provider}`, '2023-01-01');
        for (const container of await list(
          `/groups/${groupId}/containers?providerName=${provider}`,
          '2023-01-01',
        )) {
          await call({
            method: 'GET',
            path: `/groups/${groupId}/containers/${container.id}`,
            version: '2023-01-01',
          });
        }
      }
      await list(`/groups/${groupId}/containers/all`, '2023-01-01');
      for (const entry of await list(`/groups/${groupId}/accessList`, '2023-01-01')) {
        const value = encodeURIComponent(
          String(entry.ipAddress ?? entry.cidrBlock ?? entry.awsSecurityGroup),
        );
        await call({ method: 'GET', path: `/groups/${groupId}/accessList/${value}`, version: '2023-01-01' });
        await call({
          method: 'GET',
          path: `/groups/${groupId}/accessList/${value}/status`,
          version: '2023-01-01',
        });
      }
    }

    const clusters = sim.state.clusters;
    for (const archive of sim.state.onlineArchives) {
      const base = `/groups/${archive.groupId}/clusters/${archive.clusterName}/onlineArchives`;
      await list(base, '2023-01-01');
      await call({ method: 'GET', path: `${base}/${archive._id}`, version: '2023-01-01' });
    }
    const global = clusters.find((c) => c.clusterType === 'GEOSHARDED');
    if (global) {
      const base = `/groups/${global.groupId}/clusters/${global.name}/globalWrites`;
      const zone = String((global.replicationSpecs as { zoneName: string }[])[0]?.zoneName);
      for (const version of ['2023-01-01', '2023-02-01', '2024-08-05'])
        await call({ method: 'GET', path: base, version });
      await call({
        method: 'POST',
        path: `${base}/managedNamespaces`,
        version: '2024-08-05',
        body: { db: 'checks', collection: 'schema', customShardKey: 'location' },
      });
      await call({
        method: 'DELETE',
        path: `${base}/managedNamespaces?db=checks&collection=schema`,
        version: '2024-08-05',
      });
      await call({
        method: 'POST',
        path: `${base}/customZoneMapping`,
        version: '2024-08-05',
        body: { customZoneMappings: [{ location: 'CA', zone }] },
      });
      await call({ method: 'DELETE', path: `${base}/customZoneMapping`, version: '2024-08-05' });
    }

    const project = projects[0];
    const groupId = String(project?.id);
    const users = await list(`/orgs/${orgId}/users`, '2025-02-19');
    await list(`/orgs/${orgId}/users`, '2023-01-01');
    for (const user of users) {
      const assignment = (user.roles as { groupRoleAssignments?: { groupId: string }[] })
        .groupRoleAssignments?.[0];
      if (assignment)
        await call({
          method: 'GET',
          path: `/groups/${assignment.groupId}/users/${user.id}`,
          version: '2025-02-19',
        });
    }
    await call({ method: 'GET', path: `/orgs/${orgId}/invites`, version: '2023-01-01' });
    const invitation = sim.state.invitations[0];
    if (invitation)
      await call({
        method: 'DELETE',
        path: `/orgs/${orgId}/invites/${invitation.id}`,
        version: '2023-01-01',
      });
    const removable = users.find((u) => u.orgMembershipStatus === 'ACTIVE' && u.id !== users[0]?.id);
    if (removable)
      await call({ method: 'DELETE', path: `/orgs/${orgId}/users/${removable.id}`, version: '2025-02-19' });

    const account = sim.clientId;
    await list(`/orgs/${orgId}/serviceAccounts/${account}/accessList`, '2024-08-05');
    await call({
      method: 'POST',
      path: `/orgs/${orgId}/serviceAccounts/${account}/accessList`,
      version: '2024-08-05',
      body: [{ cidrBlock: '198.51.100.0/24' }, { ipAddress: '203.0.113.7' }],
    });
    await call({
      method: 'DELETE',
      path: `/orgs/${orgId}/serviceAccounts/${account}/accessList/${encodeURIComponent('198.51.100.0/24')}`,
      version: '2024-08-05',
    });

    await call({
      method: 'POST',
      path: `/groups/${groupId}/accessList`,
      version: '2023-01-01',
      body: [{ cidrBlock: '10.9.0.0/16', comment: 'schema check' }, { ipAddress: '192.0.2.44' }],
    });
    await call({
      method: 'DELETE',
      path: `/groups/${groupId}/accessList/${encodeURIComponent('10.9.0.0/16')}`,
      version: '2023-01-01',
    });

    const containers = sim.state.containers.filter((c) => c.groupId === groupId);
    const aws = containers.find((c) => c.providerName === 'AWS');
    const azure = containers.find((c) => c.providerName === 'AZURE');
    const gcp = containers.find((c) => c.providerName === 'GCP');
    const created: string[] = [];
    for (const body of [
      aws && {
        providerName: 'AWS',
        containerId: aws.id,
        accepterRegionName: 'us-west-2',
        awsAccountId: '210987654321',
        routeTableCidrBlock: '10.20.0.0/16',
        vpcId: 'vpc-0f1e2d3c4b5a69788',
      },
      azure && {
        providerName: 'AZURE',
        containerId: azure.id,
        azureDirectoryId: '11111111-2222-4333-8444-555555555555',
        azureSubscriptionId: '66666666-7777-4888-9999-000000000000',
        resourceGroupName: 'rg-check',
        vnetName: 'vnet-check',
      },
      gcp && {
        providerName: 'GCP',
        containerId: gcp.id,
        gcpProjectId: 'check-project-1',
        networkName: 'check-network',
      },
    ]) {
      if (!body) continue;
      const peer = (await call({
        method: 'POST',
        path: `/groups/${groupId}/peers`,
        version: '2023-01-01',
        body,
      })) as { id: string };
      created.push(peer.id);
      await call({ method: 'GET', path: `/groups/${groupId}/peers/${peer.id}`, version: '2023-01-01' });
    }
    for (const id of created)
      await call({ method: 'DELETE', path: `/groups/${groupId}/peers/${id}`, version: '2023-01-01' });

    const archive = sim.state.onlineArchives[0];
    if (archive) {
      await call({
        method: 'DELETE',
        path: `/groups/${archive.groupId}/clusters/${archive.clusterName}/onlineArchives/${archive._id}`,
        version: '2023-01-01',
      });
    }

    await checkDatabaseUsers(groupId, projects);
    await checkProjectUsers(groupId);
    await checkPauseAndSnapshots(groupId);

    // Error bodies: every one is an ApiError.
    await call({ method: 'GET', path: `/groups/${groupId}/clusters/no-such-cluster`, version: '2024-08-05' });
    await call({ method: 'GET', path: '/groups/not-an-id', version: '2023-01-01' });
    await call({
      method: 'GET',
      path: `/groups/${groupId}/peers/0123456789abcdef01234567`,
      version: '2023-01-01',
    });
    for (const route of allRoutes) {
      const key = `${route.method} ${route.path}`;
      if (!covered.has(key))
        failures.push(`${key}: no success answer was checked (add the route to the check)`);
    }
  } finally {
    await sim.close();
  }

  /** Database users (2023-01-01): the seeded ones, a temporary user's life, and Atlas's refusals. */
  async function checkDatabaseUsers(groupId: string, projects: Record<string, unknown>[]): Promise<void> {
    const version = '2023-01-01';
    const userPath = (group: string, user: Record<string, unknown>) =>
      `/groups/${group}/databaseUsers/${encodeURIComponent(String(user.databaseName))}/${encodeURIComponent(String(user.username))}`;
    for (const project of projects) {
      const group = String(project.id);
      const users = (await call({ method: 'GET', path: `/groups/${group}/databaseUsers`, version })) as {
        results: Record<string, unknown>[];
      };
      for (const user of users.results) await call({ method: 'GET', path: userPath(group, user), version });
    }
    const base = `/groups/${groupId}/databaseUsers`;
    const scope = sim.state.clusters.find((c) => c.groupId === groupId)?.name ?? 'none';
    const inDays = (days: number) => new Date(sim.now() + days * 86_400_000).toISOString();
    const temporary = {
      databaseName: 'admin',
      groupId,
      username: 'schema-check-tmp',
      password: 'not-a-real-secret',
      roles: [{ databaseName: 'app', roleName: 'readWrite', collectionName: 'orders' }],
      scopes: [{ name: scope, type: 'CLUSTER' }],
      labels: [{ key: 'purpose', value: 'schema-check' }],
      description: 'schema check',
      deleteAfterDate: inDays(2),
    };
    const iam = {
      databaseName: '$external',
      groupId,
      username: 'arn:aws:iam::210987654321:user/schema-check',
      awsIAMType: 'USER',
      roles: [{ databaseName: 'admin', roleName: 'readAnyDatabase' }],
    };
    await call({ method: 'POST', path: base, version, body: temporary });
    await call({ method: 'POST', path: base, version, body: iam });
    await call({ method: 'POST', path: base, version, body: temporary });
    await call({
      method: 'POST',
      path: base,
      version,
      body: { ...temporary, username: 'too-long', deleteAfterDate: inDays(8) },
    });
    await call({
      method: 'POST',
      path: base,
      version,
      body: {
        databaseName: '$external',
        groupId,
        username: 'CN=checker',
        x509Type: 'MANAGED',
        roles: [],
        deleteAfterDate: inDays(1),
      },
    });
    await call({ method: 'GET', path: userPath(groupId, iam), version });
    await call({
      method: 'PATCH',
      path: userPath(groupId, temporary),
      version,
      // The spec's PATCH body is a whole CloudDatabaseUser (its identity required); the simulator takes a part.
      body: {
        databaseName: 'admin',
        groupId,
        username: temporary.username,
        deleteAfterDate: inDays(6),
        roles: [{ databaseName: 'app', roleName: 'read' }],
        password: 'another-long-one',
      },
    });
    await call({ method: 'DELETE', path: userPath(groupId, temporary), version });
    await call({ method: 'DELETE', path: userPath(groupId, iam), version });
    await call({ method: 'GET', path: userPath(groupId, temporary), version });
  }

  /** Project users and roles (2025-02-19): list, add a member and a stranger, add and remove roles, remove. */
  async function checkProjectUsers(groupId: string): Promise<void> {
    const version = '2025-02-19';
    const base = `/groups/${groupId}/users`;
    await call({ method: 'GET', path: base, version });
    const outsider = sim.state.users.find(
      (u) =>
        u.orgMembershipStatus === 'ACTIVE' &&
        !u.roles.groupRoleAssignments?.some((a) => a.groupId === groupId),
    );
    if (outsider) {
      const body = { username: outsider.username, roles: ['GROUP_READ_ONLY'] };
      await call({ method: 'POST', path: base, version, body });
      await call({ method: 'POST', path: base, version, body });
      await call({
        method: 'GET',
        path: `${base}?username=${encodeURIComponent(outsider.username)}`,
        version,
      });
      const user = `${base}/${outsider.id}`;
      await call({
        method: 'POST',
        path: `${user}:addRole`,
        version,
        body: { groupRole: 'GROUP_DATA_ACCESS_READ_ONLY' },
      });
      await call({
        method: 'POST',
        path: `${user}:removeRole`,
        version,
        body: { groupRole: 'GROUP_READ_ONLY' },
      });
      await call({
        method: 'POST',
        path: `${user}:removeRole`,
        version,
        body: { groupRole: 'GROUP_DATA_ACCESS_READ_ONLY' },
      });
      await call({ method: 'DELETE', path: user, version });
    }
    const invited = (await call({
      method: 'POST',
      path: base,
      version,
      body: { username: 'schema.check@example.com', roles: ['GROUP_READ_ONLY', 'GROUP_CLUSTER_MANAGER'] },
    })) as { id: string };
    await call({ method: 'GET', path: `${base}/${invited.id}`, version });
    await call({ method: 'GET', path: `${base}?orgMembershipStatuses=PENDING`, version });
  }

  /** Pause and resume (2024-10-23) and on-demand snapshots (2023-01-01), moving the clock on between steps. */
  async function checkPauseAndSnapshots(groupId: string): Promise<void> {
    const clusters = sim.state.clusters.filter((c) => c.groupId === groupId && c.paused !== true);
    const [pausable, backedUp] = clusters.filter(
      (c) => c.backupEnabled === true && c.clusterType === 'REPLICASET',
    );
    const sharded = clusters.find((c) => c.clusterType !== 'REPLICASET' && c.backupEnabled === true);
    const noBackup = sim.state.clusters.find((c) => c.backupEnabled !== true);
    if (pausable) {
      const path = `/groups/${groupId}/clusters/${pausable.name}`;
      const version = '2024-10-23';
      await call({ method: 'PATCH', path, version, body: { tags: [{ key: 'checked', value: 'yes' }] } });
      await call({ method: 'PATCH', path, version, body: { paused: true } });
      await call({ method: 'PATCH', path, version, body: { terminationProtectionEnabled: true } });
      sim.advanceClock(10_000);
      await call({ method: 'PATCH', path, version, body: { paused: false } });
      await call({ method: 'PATCH', path, version, body: { paused: true } });
      sim.advanceClock(10_000);
      await call({ method: 'PATCH', path, version, body: { paused: true } });
      sim.advanceClock(61 * 60_000);
      token = await newToken();
      await call({ method: 'PATCH', path, version, body: { paused: true } });
      await call({ method: 'GET', path, version: '2024-08-05' });
    }
    const version = '2023-01-01';
    for (const cluster of [backedUp, sharded]) {
      if (!cluster) continue;
      const path = `/groups/${groupId}/clusters/${cluster.name}/backup/snapshots`;
      await call({
        method: 'POST',
        path,
        version,
        body: { description: 'schema check', retentionInDays: 3 },
      });
      await call({
        method: 'POST',
        path,
        version,
        body: { description: 'schema check again', retentionInDays: 1 },
      });
      await call({ method: 'GET', path, version });
    }
    sim.advanceClock(10_000);
    if (backedUp) {
      const path = `/groups/${groupId}/clusters/${backedUp.name}/backup/snapshots`;
      await call({ method: 'POST', path, version, body: { description: 'schema check, later' } });
      await call({ method: 'GET', path: `${path}?pointInTimeUtcSeconds=0`, version });
    }
    if (noBackup) {
      const path = `/groups/${noBackup.groupId}/clusters/${noBackup.name}/backup/snapshots`;
      await call({ method: 'POST', path, version, body: { retentionInDays: 1 } });
    }
  }

  return { responsesChecked: checked, failures, specFixes };
}
