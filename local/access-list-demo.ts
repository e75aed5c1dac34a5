/**
 * The demo desired state of the access-list sync, for the simulator's demo organization (seeds/demo.ts): what
 * `npm start` puts in the local S3 and in `.atlas-ops/access-list/desired-state.json` for you to edit. Against
 * the demo seed its plan has something in each prune mode:
 *
 * - payments-prod, `managed`: adds a second office address (marked `[atlas-ops]`); keeps the entries a person
 *   added, including the temporary on-call one the document does not declare (not the sync's to remove);
 * - analytics, `all`: adds the new BI range and removes the old one;
 * - the simulator's service account, `none`: adds a range and keeps the rest; `127.0.0.1` (where the local
 *   workers call from) is protected, so no change to the document can lock them out.
 */
import type { z } from 'zod';
import type { desiredStateSchema } from '../shared/access-list/desired-state.ts';
import { SIM_CLIENT_ID } from './atlas-simulator/seeds/credentials.ts';
import { DEMO_ORG_ID, DEMO_PROJECT_IDS } from './atlas-simulator/seeds/demo.ts';

/** The demo document (a new object on every call). */
export function demoDesiredState(): z.input<typeof desiredStateSchema> {
  return {
    maxDeletions: 10,
    projects: [
      {
        groupId: DEMO_PROJECT_IDS.paymentsProd,
        prune: 'managed',
        entries: [
          { ipAddress: '203.0.113.10', comment: 'Office VPN egress' },
          { cidrBlock: '10.0.0.0/16', comment: 'Application VPC (peered)' },
          { ipAddress: '203.0.113.11', comment: 'Office VPN egress, second link' },
        ],
      },
      {
        groupId: DEMO_PROJECT_IDS.analytics,
        prune: 'all',
        entries: [{ cidrBlock: '198.51.100.0/24', comment: 'BI tool egress range (new provider)' }],
      },
    ],
    serviceAccounts: [
      {
        orgId: DEMO_ORG_ID,
        clientId: SIM_CLIENT_ID,
        prune: 'none',
        entries: [{ ipAddress: '127.0.0.1' }, { cidrBlock: '10.30.0.0/16' }],
      },
    ],
    protect: ['127.0.0.1'],
  };
}

/** The demo document as a file holds it. */
export function demoDesiredStateText(): string {
  return `${JSON.stringify(demoDesiredState(), null, 2)}\n`;
}
