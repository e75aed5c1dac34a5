/** Lambda entry of the notifier: the handler for this container's environment. */
import { createNotifierHandler } from './create-handler.ts';

export const handler = createNotifierHandler(process.env);
