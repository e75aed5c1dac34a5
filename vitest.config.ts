import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (one module at a time, plus the architecture and documentation checks), `infra` (the
 * synthesized template) and `integration` (real HTTP against the simulator and the local stand-ins).
 * `npm test` runs all three, as CI does; `npm run test:fast` runs unit and infra, the inner loop.
 */
export default defineConfig({
  test: {
    // Tests bind random ports on 127.0.0.1 only, so files can run in parallel safely.
    pool: 'threads',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    restoreMocks: true,
    unstubEnvs: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/architecture/**/*.test.ts', 'test/docs/**/*.test.ts'],
          isolate: false,
        },
      },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
    ],
  },
});
