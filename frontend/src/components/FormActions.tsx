import { Button, Group } from '@mantine/core';
import { Link } from 'react-router';

interface FormActionsProps {
  submitLabel: string;
  submitting: boolean;
  cancelTo: string;
}

/** A form's submit button and the way back without saving. */
export function FormActions({ submitLabel, submitting, cancelTo }: FormActionsProps) {
  return (
    <Group>
      <Button type="submit" loading={submitting}>
        {submitLabel}
      </Button>
      <Button component={Link} to={cancelTo} variant="default">
        Cancel
      </Button>
    </Group>
  );
}
