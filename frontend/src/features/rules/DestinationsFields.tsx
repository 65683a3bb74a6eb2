import { Button, Group, Stack, Text } from '@mantine/core';
import { useFieldArray, useFormContext } from 'react-hook-form';
import type { Trust } from '../../api/types';
import { DestinationFieldset } from './DestinationFieldset';
import { arrayError } from './formErrors';
import { emptyDestination, MAX_DESTINATIONS, type RuleFormValues } from './ruleForm';

/** The buckets the rule replicates to, each through its own trust: at least one, at most 20. */
export function DestinationsFields({ trusts }: { trusts: Trust[] }) {
  const { control, formState } = useFormContext<RuleFormValues>();
  const { fields, append, remove } = useFieldArray({ control, name: 'destinations' });
  const listError = arrayError(formState.errors.destinations);
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Each destination is reached through its own trust, so it can be in another account or on
        another store. Destination buckets need versioning enabled too.
      </Text>
      {fields.map((field, index) => (
        <DestinationFieldset
          key={field.id}
          index={index}
          trusts={trusts}
          onRemove={fields.length > 1 ? () => remove(index) : undefined}
        />
      ))}
      {listError && (
        <Text size="xs" c="red">
          {listError}
        </Text>
      )}
      <Group>
        <Button
          variant="light"
          size="xs"
          disabled={fields.length >= MAX_DESTINATIONS}
          onClick={() => append(emptyDestination())}
        >
          Add destination
        </Button>
        {fields.length >= MAX_DESTINATIONS && (
          <Text size="xs" c="dimmed">
            A rule can have at most {MAX_DESTINATIONS} destinations.
          </Text>
        )}
      </Group>
    </Stack>
  );
}
