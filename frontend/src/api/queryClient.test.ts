import { describe, expect, it } from 'vitest';
import { ApiError, startSession } from './client';
import { createQueryClient, shouldRetry } from './queryClient';

describe('shouldRetry', () => {
  it.each([400, 401, 403, 404, 409, 429])('never retries a %i', (status) => {
    expect(shouldRetry(0, new ApiError({ status }))).toBe(false);
  });

  it('retries server errors and network failures a couple of times', () => {
    expect(shouldRetry(0, new ApiError({ status: 503 }))).toBe(true);
    expect(shouldRetry(1, new TypeError('Failed to fetch'))).toBe(true);
    expect(shouldRetry(2, new TypeError('Failed to fetch'))).toBe(false);
  });
});

describe('a lost session', () => {
  it('sends the user to sign in for a 401 of the current session only', async () => {
    let signIns = 0;
    const client = createQueryClient({ onUnauthorized: () => (signIns += 1) });
    const unauthorized = () => new ApiError({ status: 401 });

    const earlier = unauthorized();
    startSession();
    await expect(
      client.fetchQuery({ queryKey: ['old'], queryFn: () => Promise.reject(earlier) }),
    ).rejects.toBe(earlier);
    expect(signIns).toBe(0);

    await expect(
      client.fetchQuery({ queryKey: ['now'], queryFn: () => Promise.reject(unauthorized()) }),
    ).rejects.toBeInstanceOf(ApiError);
    expect(signIns).toBe(1);
  });
});
