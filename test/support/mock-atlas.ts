/** Unit-test support for the typed client: a mock Atlas (mock-atlas-server.ts) and an `AtlasClient` on it. */
import { AtlasClient } from '../../shared/atlas/client.ts';
import type { AtlasHttpOptions } from '../../shared/atlas/http.ts';
import { type MockAtlasServer, mockAtlasServer } from './mock-atlas-server.ts';

export * from './mock-atlas-server.ts';

export interface MockAtlas extends MockAtlasServer {
  client: AtlasClient;
}

/** A mock Atlas and an `AtlasClient` wired to it. */
export function mockAtlas(options: Partial<AtlasHttpOptions> & { token?: boolean } = {}): MockAtlas {
  const { token, ...overrides } = options;
  const server = mockAtlasServer(token === undefined ? {} : { token });
  return { ...server, client: new AtlasClient(server.clientOptions(overrides)) };
}
