/** The Atlas Administration API simulator: `startSimulator()` for tests and the local stack. */
export { SIM_CLIENT_ID, SIM_CLIENT_SECRET, SIM_PRIVATE_KEY, SIM_PUBLIC_KEY } from './seeds/credentials.ts';
export { loadSeed, SeedError } from './seeds/index.ts';
export { type RunningSimulator, type SimulatorOptions, startSimulator } from './server.ts';
export type { SimState } from './state.ts';
