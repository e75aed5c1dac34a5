/** Values shared by the Global Cluster operation tests. */
import { GROUP_ID } from '../fixtures.ts';

export const GLOBAL = `/groups/${GROUP_ID}/clusters/geo/globalWrites`;
export const cluster = { groupId: GROUP_ID, clusterName: 'geo' };
export const orders = { db: 'sales', collection: 'orders', customShardKey: 'region' };
export const customers = {
  db: 'sales',
  collection: 'customers',
  customShardKey: 'country',
  isCustomShardKeyHashed: true,
};
export const geoSharding = (managedNamespaces: object[]) => ({
  customZoneMapping: { DE: '6a1b2c3d4e5f6a7b8c9d0e1f' },
  managedNamespaces,
  selfManagedSharding: false,
});
