import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useFieldArray, useFormContext } from 'react-hook-form';
import { arrayError } from './formErrors';
import { MAX_TAGS, type RuleFormValues } from './ruleForm';

/** Which objects of the source the rule replicates: a key prefix and object tags, all of which must match. */
export function FilterFields() {
  const { register, formState } = useFormContext<RuleFormValues>();
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Objects must match the prefix and all tags; leave both empty to replicate every object.
      </Text>
      <TextInput
        label="Prefix"
        description="Optional: only keys that start with it, e.g. photos/."
        autoComplete="off"
        error={formState.errors.filter?.prefix?.message}
        {...register('filter.prefix')}
      />
      <TagsEditor />
    </Stack>
  );
}

function TagsEditor() {
  const { control, register, formState } = useFormContext<RuleFormValues>();
  const { fields, append, remove } = useFieldArray({ control, name: 'filter.tags' });
  const errors = formState.errors.filter?.tags;
  const listError = arrayError(errors);
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        Tags
      </Text>
      {fields.map((field, index) => (
        <Stack
          key={field.id}
          gap={2}
          role="group"
          aria-label={`Tag ${index + 1}`}
          data-testid="tag-row"
        >
          <Group align="flex-start" wrap="nowrap">
            <TextInput
              label="Tag key"
              autoComplete="off"
              error={errors?.[index]?.key?.message}
              {...register(`filter.tags.${index}.key`)}
            />
            <TextInput
              label="Tag value"
              autoComplete="off"
              error={errors?.[index]?.value?.message}
              {...register(`filter.tags.${index}.value`)}
            />
            <Button variant="subtle" color="red" mt={25} onClick={() => remove(index)}>
              Remove tag
            </Button>
          </Group>
          {errors?.[index]?.message && (
            <Text size="xs" c="red">
              {errors[index].message}
            </Text>
          )}
        </Stack>
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
          disabled={fields.length >= MAX_TAGS}
          onClick={() => append({ key: '', value: '' })}
        >
          Add tag
        </Button>
        {fields.length >= MAX_TAGS && (
          <Text size="xs" c="dimmed">
            A rule can filter on at most {MAX_TAGS} tags.
          </Text>
        )}
      </Group>
    </Stack>
  );
}
