/** Picks the simulator's starting state: `demo`, `large:PxC`, or a JSON seed file. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { emptyState, type SimState } from '../state.ts';
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_PRIVATE_KEY, SIM_PUBLIC_KEY } from './credentials.ts';
import { demoSeed } from './demo.ts';
import { largeSeed } from './large.ts';

/** Thrown for a seed argument or file that cannot be used; the message says why. */
export class SeedError extends Error {
  override name = 'SeedError';
}

const LARGE = /^large:(\d+)x(\d+)$/;

export async function loadSeed(spec: string): Promise<SimState> {
  if (spec === 'demo') return demoSeed();
  const large = LARGE.exec(spec);
  if (large) {
    const projects = Number(large[1]);
    const clustersPerProject = Number(large[2]);
    if (projects < 1 || projects > 5_000 || clustersPerProject < 0 || clustersPerProject > 1_000) {
      throw new SeedError('large:PxC takes 1–5000 projects and 0–1000 clusters per project');
    }
    return largeSeed(projects, clustersPerProject);
  }
  return seedFromFile(spec);
}

const record = z.record(z.string(), z.unknown());
const withId = record.and(z.object({ id: z.string() }));

/** A seed file: any of the state's collections (missing ones are empty), checked for the fields we key on. */
const seedFileSchema = z.object({
  orgs: z.array(withId.and(z.object({ name: z.string() }))).min(1, 'must hold at least one organization'),
  projects: z.array(withId.and(z.object({ name: z.string(), orgId: z.string() }))).default([]),
  clusters: z.array(withId.and(z.object({ groupId: z.string(), name: z.string() }))).default([]),
  flexClusters: z.array(withId.and(z.object({ groupId: z.string(), name: z.string() }))).default([]),
  onlineArchives: z
    .array(record.and(z.object({ _id: z.string(), groupId: z.string(), clusterName: z.string() })))
    .default([]),
  users: z.array(withId).default([]),
  invitations: z.array(withId).default([]),
  containers: z.array(withId).default([]),
  peers: z.array(withId).default([]),
  projectAccessList: z.array(record.and(z.object({ groupId: z.string() }))).default([]),
  serviceAccounts: z.array(record).default([]),
  apiKeys: z.array(record).default([]),
  globalWrites: z.record(z.string(), record).default({}),
  databaseUsers: z
    .array(record.and(z.object({ groupId: z.string(), databaseName: z.string(), username: z.string() })))
    .default([]),
  snapshots: z
    .array(record.and(z.object({ id: z.string(), groupId: z.string(), clusterName: z.string() })))
    .default([]),
});

async function seedFromFile(path: string): Promise<SimState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new SeedError(`--seed must be demo, large:PxC or a readable JSON file; cannot read ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SeedError(`seed file ${path} is not JSON: ${(error as Error).message}`);
  }
  const parsed = seedFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new SeedError(`seed file ${path} is not a simulator seed: ${problems}`);
  }
  const state = { ...emptyState(), ...(parsed.data as unknown as Partial<SimState>) } as SimState;
  const orgId = state.orgs[0]?.id ?? '';
  for (const org of state.orgs) org.isDeleted ??= false;
  for (const project of state.projects) project.created ??= new Date(0).toISOString();
  // A seed file without credentials still gets the simulator's well-known ones, in its first organization.
  if (state.serviceAccounts.length === 0) {
    state.serviceAccounts.push({
      clientId: SIM_CLIENT_ID,
      clientSecret: SIM_CLIENT_SECRET,
      orgId,
      name: 'simulator',
      accessList: [],
    });
  }
  if (state.apiKeys.length === 0)
    state.apiKeys.push({ publicKey: SIM_PUBLIC_KEY, privateKey: SIM_PRIVATE_KEY, orgId });
  return state;
}
