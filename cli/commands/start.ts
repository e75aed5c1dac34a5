/**
 * `atlas-ops start` (`npm start`): the main job on embedded defaults. The local stack (Atlas simulator,
 * local AWS stand-ins, the inventory worker) is not built yet, so for now it says what is available.
 */
import type { Command } from './index.ts';

export const startCommand: Command = {
  async run() {
    process.stdout.write(
      [
        'atlas-ops',
        '',
        'Available now:',
        '  - the Atlas Administration API v2 client (shared/atlas): service-account OAuth and API-key Digest',
        '    auth, exact per-operation versions, retries with backoff and Retry-After, deadlines, pagination,',
        '    and typed operations for orgs, projects, clusters, flex clusters, users, network peering, online',
        '    archives, invitations, access lists and global clusters. See "Atlas client" in README.md.',
        '',
        'Coming next: the Atlas simulator, then the scheduled cluster inventory on a local stack.',
        '',
      ].join('\n'),
    );
    return 0;
  },
};
