/**
 * The credentials every built-in seed provisions. They are fixed and public on purpose: the simulator is
 * local-only (127.0.0.1), and docs and curl examples can name them.
 */
export const SIM_CLIENT_ID = 'mdb_sa_id_65f0a0c0ffee000000000001';
export const SIM_CLIENT_SECRET = 'mdb_sa_sk_simulator-local-only-secret';
export const SIM_PUBLIC_KEY = 'simkeyab';
export const SIM_PRIVATE_KEY = '5a1c0de0-0000-4000-8000-000000000001';
