/** Lambda entry of the webhook intake: the handler for this container's environment. */
import { createWebhookIntakeHandler } from './create-handler.ts';

export const handler = createWebhookIntakeHandler(process.env);
