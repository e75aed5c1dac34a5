/** Lambda entry of the scheduled cluster inventory: the handler for this container's environment. */
import { createInventoryHandler } from './create-handler.ts';

export const handler = createInventoryHandler(process.env);
