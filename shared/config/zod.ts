/**
 * The zod every module under shared/ and functions/ uses: `zod/mini`, the build whose schemas cost about half
 * as much to construct at a cold start and a third of the bytes (`npm run bench -- coldstart`), with the
 * English messages the full build registers on its own. zod/mini loads no locale, so without this every
 * default message would read just "Invalid input". A locale configured elsewhere first is left in place.
 *
 * Import it as `import * as z from '<path>/config/zod.ts'`. Read `z.core` only in types: as a value it drags
 * every locale into the bundle; import what you need from 'zod/v4/core' by name instead.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

if (!config().localeError) config(en());

export * from 'zod/mini';
