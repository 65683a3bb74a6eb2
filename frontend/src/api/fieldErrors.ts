import { ApiError, isApiError } from './client';

/**
 * The form field a server field error names: the last segment of its path, so "endpoint",
 * "body.endpoint" and "request.endpoint" all mean the form's "endpoint".
 */
function formFieldOf<F extends string>(field: string, fields: readonly F[]): F | undefined {
  const name = field.split('.').pop() ?? field;
  return fields.find((candidate) => candidate === name);
}

/** The field errors of a problem that belong to one of fields, for showing next to those inputs. */
export function fieldErrorsOf<F extends string>(
  error: unknown,
  fields: readonly F[],
): { field: F; message: string }[] {
  if (!isApiError(error)) {
    return [];
  }
  return (error.problem.errors ?? []).flatMap((fieldError) => {
    const field = formFieldOf(fieldError.field, fields);
    return field ? [{ field, message: fieldError.message }] : [];
  });
}

/** The error without the field errors that fields show next to their inputs; the rest is for a ProblemAlert. */
export function withoutFieldErrors(error: unknown, fields: readonly string[]): unknown {
  if (!isApiError(error) || !error.problem.errors) {
    return error;
  }
  const errors = error.problem.errors.filter(
    (fieldError) => formFieldOf(fieldError.field, fields) === undefined,
  );
  return new ApiError({ ...error.problem, errors }, error.session);
}

/**
 * The segments of a server field path: "destinations[0].trustId" is destinations, 0, trustId. A bracketed
 * segment stays whole, dots included, so "destinationTrusts[arn:aws:s3:::my.bucket]" has two segments.
 */
export function fieldPathSegments(field: string): string[] {
  return Array.from(field.matchAll(/\[([^\]]*)\]|([^.[\]]+)/g), (match) => match[1] ?? match[2]!);
}

/**
 * The form field a server field path names, for forms with nested fields (where the last segment is
 * ambiguous): the first part of the path, leftmost and then longest, that resolve accepts. So with
 * "source.bucket" a form field, "body.source.bucket" is it too, and "filter.tags.env" falls back to
 * "filter.tags" when only that is a field.
 */
function formFieldAt<F extends string>(
  field: string,
  resolve: (segments: string[]) => F | undefined,
): F | undefined {
  const segments = fieldPathSegments(field);
  for (let start = 0; start < segments.length; start++) {
    for (let end = segments.length; end > start; end--) {
      const formField = resolve(segments.slice(start, end));
      if (formField !== undefined) {
        return formField;
      }
    }
  }
  return undefined;
}

/** As fieldErrorsOf, for nested form fields: resolve maps path segments to a form field, or undefined. */
export function fieldPathErrorsOf<F extends string>(
  error: unknown,
  resolve: (segments: string[]) => F | undefined,
): { field: F; message: string }[] {
  if (!isApiError(error)) {
    return [];
  }
  return (error.problem.errors ?? []).flatMap((fieldError) => {
    const field = formFieldAt(fieldError.field, resolve);
    return field !== undefined ? [{ field, message: fieldError.message }] : [];
  });
}

/**
 * The server's errors per form field (resolved as by fieldPathErrorsOf), several errors of one field joined into
 * one message: a manifest's bad lines, or each rule that is not the tenant's.
 */
export function joinedFieldPathErrorsOf<F extends string>(
  error: unknown,
  resolve: (segments: string[]) => F | undefined,
): Map<F, string> {
  const messages = new Map<F, string[]>();
  for (const { field, message } of fieldPathErrorsOf(error, resolve)) {
    messages.set(field, [...(messages.get(field) ?? []), message]);
  }
  return new Map(
    Array.from(messages, ([field, fieldMessages]) => [field, fieldMessages.join('; ')]),
  );
}

/** As withoutFieldErrors, for nested form fields resolved as by fieldPathErrorsOf. */
export function withoutFieldPathErrors(
  error: unknown,
  resolve: (segments: string[]) => string | undefined,
): unknown {
  if (!isApiError(error) || !error.problem.errors) {
    return error;
  }
  const errors = error.problem.errors.filter(
    (fieldError) => formFieldAt(fieldError.field, resolve) === undefined,
  );
  return new ApiError({ ...error.problem, errors }, error.session);
}
