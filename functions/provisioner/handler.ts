/** Lambda entry of the provisioning worker: the handler for this container's environment. */
import { createProvisionerHandler } from './create-handler.ts';

export const handler = createProvisionerHandler(process.env).handler;
