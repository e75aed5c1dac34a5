/** Lambda entry of the tiny queue worker. */
import { createProjectCheckHandler } from './create-handler.ts';

export const handler = createProjectCheckHandler(process.env);
