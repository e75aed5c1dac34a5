/**
 * The demo desired state of the access-list sync, for the simulator's demo organization (seeds/demo.ts):
 * `examples/access-list/desired-state.json`, what `npm start` puts in the local S3 and in
 * `.atlas-ops/access-list/desired-state.json` for you to edit. Against the demo seed its plan has something in
 * each prune mode:
 *
 * - payments-prod, `managed`: adds a second office address (marked `[atlas-ops]`); keeps the entries a person
 *   added, including the temporary on-call one the document does not declare (not the sync's to remove);
 * - analytics, `all`: adds the new BI range and removes the old one, keeping the bastion: one of its two
 *   entries, half the list, as much as a run may remove by default (replacing its only entry would be the
 *   lock-out the removal-share guard refuses);
 * - the simulator's service account, `none`: adds a range and keeps the rest; `127.0.0.1` (where the local
 *   workers call from) is protected, so no change to the document can lock them out.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The example file the demo document is. */
export const DEMO_DESIRED_STATE_FILE = fileURLToPath(
  new URL('../examples/access-list/desired-state.json', import.meta.url),
);

/** The demo document as the file holds it. */
export function demoDesiredStateText(): string {
  return readFileSync(DEMO_DESIRED_STATE_FILE, 'utf8');
}
