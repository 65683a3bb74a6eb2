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
  return new ApiError({ ...error.problem, errors });
}
