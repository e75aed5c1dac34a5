/** The registry lists every operation type the queue accepts, each fully described. */
import { describe, expect, it } from 'vitest';
import { OPERATION_TYPES, operationType } from '../../../../shared/operations/registry.ts';

describe('OPERATION_TYPES', () => {
  it('holds every operation type', () => {
    // Act
    const types = [...OPERATION_TYPES.keys()].sort();

    // Assess
    expect(types).toEqual(
      [
        'networkPeering.create',
        'networkPeering.delete',
        'projectAccessList.add',
        'projectAccessList.delete',
        'serviceAccountAccessList.add',
        'serviceAccountAccessList.delete',
        'onlineArchive.delete',
        'orgInvitation.cancel',
        'projectUser.get',
        'globalCluster.addManagedNamespace',
        'globalCluster.removeManagedNamespace',
        'globalCluster.addCustomZoneMappings',
        'globalCluster.removeAllCustomZoneMappings',
        'databaseUser.createTemporary',
        'databaseUser.extend',
        'databaseUser.delete',
        'projectRole.grantTemporary',
        'projectRole.revoke',
        'cluster.pause',
        'cluster.resume',
        'cluster.takeSnapshot',
      ].sort(),
    );
  });

  it.each([...OPERATION_TYPES])(
    '%s is keyed by its type and has a one-line summary and idempotency rule',
    (type, definition) => {
      // Assess
      expect(definition.type).toBe(type);
      expect(definition.summary).toMatch(/^[^\n]{10,120}$/);
      expect(definition.idempotency).toMatch(/^[^\n]{20,}\.$/);
    },
  );
});

describe('operationType', () => {
  it('finds a type by name', () => {
    // Act
    const definition = operationType('networkPeering.delete');

    // Assess
    expect(definition?.type).toBe('networkPeering.delete');
  });

  it.each(['networkPeering', 'NetworkPeering.Delete', 'toString', '__proto__', ''])(
    'finds no type %j',
    (name) => {
      // Act
      const definition = operationType(name);

      // Assess
      expect(definition).toBeUndefined();
    },
  );
});
