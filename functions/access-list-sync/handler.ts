/** Lambda entry of the access-list sync: the handler for this container's environment. */
import { createAccessListSyncHandler } from './create-handler.ts';

export const handler = createAccessListSyncHandler(process.env);
