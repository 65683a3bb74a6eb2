import { Alert, List, Text } from '@mantine/core';
import { isApiError } from '../api/client';

interface ProblemAlertProps {
  error: unknown;
}

/** Shows an API problem (title, detail, field errors) or, for anything else, that the server could not be reached. */
export function ProblemAlert({ error }: ProblemAlertProps) {
  if (!error) {
    return null;
  }
  if (!isApiError(error)) {
    return (
      <Alert color="red" title="Could not reach the server">
        {error instanceof Error ? error.message : String(error)}
      </Alert>
    );
  }
  const { title, detail, errors } = error.problem;
  return (
    <Alert color="red" title={title ?? `Request failed (${error.status})`}>
      {detail && <Text size="sm">{detail}</Text>}
      {errors && errors.length > 0 && (
        <List size="sm" mt={detail ? 'xs' : 0}>
          {errors.map((fieldError) => (
            <List.Item key={`${fieldError.field}:${fieldError.message}`}>
              {fieldError.field}: {fieldError.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
