import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

import { apply, reset, tables } from '../support/migration-db';

describe('migrations', () => {
  it('apply in order to an empty database', async () => {
    await reset();
    await apply(env.TEST_MIGRATIONS);
    expect(await tables()).toEqual(
      expect.arrayContaining(['articles', 'authors', 'comments', 'sections', 'subscribers', 'tags']),
    );
  });
});
