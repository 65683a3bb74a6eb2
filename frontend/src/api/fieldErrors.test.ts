import { describe, expect, it } from 'vitest';
import { ApiError } from './client';
import { fieldErrorsOf, withoutFieldErrors } from './fieldErrors';

const invalid = new ApiError({
  status: 400,
  title: 'Bad Request',
  detail: 'The request is invalid.',
  errors: [
    { field: 'create.body.endpoint', message: 'must be an http(s) URL' },
    { field: 'region', message: 'must not be blank' },
    { field: 'tenant', message: 'has too many trusts' },
  ],
});

describe('field errors', () => {
  it('matches a server field to a form field by the last segment of its path', () => {
    expect(fieldErrorsOf(invalid, ['endpoint', 'region', 'name'])).toEqual([
      { field: 'endpoint', message: 'must be an http(s) URL' },
      { field: 'region', message: 'must not be blank' },
    ]);
  });

  it('leaves for the alert only what no field shows, keeping title and detail', () => {
    const rest = withoutFieldErrors(invalid, ['endpoint', 'region']);
    expect(rest).toBeInstanceOf(ApiError);
    expect((rest as ApiError).problem).toEqual({
      status: 400,
      title: 'Bad Request',
      detail: 'The request is invalid.',
      errors: [{ field: 'tenant', message: 'has too many trusts' }],
    });
  });

  it('passes through anything that is not a problem with field errors', () => {
    const offline = new TypeError('Failed to fetch');
    expect(fieldErrorsOf(offline, ['name'])).toEqual([]);
    expect(withoutFieldErrors(offline, ['name'])).toBe(offline);
    expect(withoutFieldErrors(null, ['name'])).toBeNull();
  });
});
