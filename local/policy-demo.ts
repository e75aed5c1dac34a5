/**
 * The demo operation policy (shared/policy): `examples/policy.json`, what `npm start` gives the webhook
 * intake unless `--policy FILE` names another. For the simulator's demo organization (seeds/demo.ts): reads
 * anywhere; grants (access-list entries, peerings, namespaces) in the three demo projects and the demo
 * organization's service accounts with one approval; removals there with two distinct approvers;
 * organization changes (invitations) with two. Any other project is refused.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The example file the demo policy is. */
export const DEMO_POLICY_FILE = fileURLToPath(new URL('../examples/policy.json', import.meta.url));

/** The demo policy as the file holds it. */
export function demoPolicyText(): string {
  return readFileSync(DEMO_POLICY_FILE, 'utf8');
}
