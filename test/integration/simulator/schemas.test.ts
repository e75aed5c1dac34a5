/**
 * `npm run check:schemas` as part of `npm test`: every answer of the simulator against MongoDB's OpenAPI
 * schemas. The spec lives beside the repository (../shared/reference/atlas-openapi-subset.json) and is never
 * copied in; where it is absent (a clone without it beside), the test says so and is skipped.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSchemas, DEFAULT_SPEC_PATH } from '../../../local/atlas-simulator/schema-check.ts';

const specFound = existsSync(DEFAULT_SPEC_PATH);

describe('simulator answers against the OpenAPI spec', () => {
  it.skipIf(!specFound)(
    specFound
      ? `match their schemas in ${DEFAULT_SPEC_PATH}`
      : `skipped: no spec at ${DEFAULT_SPEC_PATH} (the schema check needs shared/reference beside the repository)`,
    async () => {
      // Act
      const result = await checkSchemas({ specPath: DEFAULT_SPEC_PATH, seed: 'demo' });

      // Assess
      expect(result.responsesChecked).toBeGreaterThan(100);
      expect(result.failures).toEqual([]);
    },
    120_000,
  );
});
