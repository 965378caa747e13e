import { describe, expect, it } from 'vitest';
import { readJob } from '../../src/server/jobs/bullmq-records.js';

describe('readJob', () => {
  it('a job read while it completed (state completed, no result yet) is still processing, not an error', () => {
    const job = {
      id: 'j1',
      state: 'completed',
      data: { created: 1_000 } as never,
      progress: { percent: 60, stage: 'trace', at: 2_000 },
      returnvalue: null,
      failedReason: undefined,
    };
    const read = readJob(job, 60_000);
    expect(read?.record).toMatchObject({ task_id: 'j1', status: 'processing', progress: 60, stage: 'trace' });
    expect(read?.result).toBeNull();
  });
});
