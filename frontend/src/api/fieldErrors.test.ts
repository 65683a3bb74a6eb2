import { describe, expect, it } from 'vitest';
import { ApiError } from './client';
import {
  fieldErrorsOf,
  fieldPathErrorsOf,
  fieldPathSegments,
  withoutFieldErrors,
  withoutFieldPathErrors,
} from './fieldErrors';

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

describe('nested field errors', () => {
  const nested = new ApiError({
    status: 400,
    title: 'Bad Request',
    errors: [
      { field: 'create.body.source.bucket', message: 'is not versioned' },
      { field: 'destinations[1].trustId', message: 'is not a trust of this tenant' },
      { field: 'filter.tags[env]', message: 'is too long' },
      { field: 'configuration.Rules[2].Filter', message: 'is invalid' },
    ],
  });
  const fields = ['source.bucket', 'destinations.1.trustId', 'filter.tags'];
  const resolve = (segments: string[]) => fields.find((field) => field === segments.join('.'));

  it('splits a path into segments, keeping bracketed ones whole', () => {
    expect(fieldPathSegments('destinations[0].trustId')).toEqual(['destinations', '0', 'trustId']);
    expect(fieldPathSegments('destinationTrusts[arn:aws:s3:::my.bucket]')).toEqual([
      'destinationTrusts',
      'arn:aws:s3:::my.bucket',
    ]);
  });

  it('matches the leftmost, then longest, part of a path that is a form field', () => {
    expect(fieldPathErrorsOf(nested, resolve)).toEqual([
      { field: 'source.bucket', message: 'is not versioned' },
      { field: 'destinations.1.trustId', message: 'is not a trust of this tenant' },
      { field: 'filter.tags', message: 'is too long' },
    ]);
  });

  it('leaves the rest for the alert', () => {
    expect((withoutFieldPathErrors(nested, resolve) as ApiError).problem.errors).toEqual([
      { field: 'configuration.Rules[2].Filter', message: 'is invalid' },
    ]);
    expect(withoutFieldPathErrors(null, resolve)).toBeNull();
  });
});
