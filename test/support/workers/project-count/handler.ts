/** Lambda entry of the tiny worker. */
import { createProjectCountHandler } from './create-handler.ts';

export const handler = createProjectCountHandler(process.env);
