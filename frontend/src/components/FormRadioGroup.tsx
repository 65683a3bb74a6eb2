import { Radio, Stack } from '@mantine/core';
import { Controller, type FieldValues, type Path, useFormContext } from 'react-hook-form';

export interface RadioOption<T extends string> {
  value: T;
  label: string;
  description?: string;
}

interface FormRadioGroupProps<T extends string, V extends FieldValues> {
  name: Path<V>;
  label: string;
  options: RadioOption<T>[];
}

/** One choice among a few, each with a line of help, bound to a field of the surrounding form. */
export function FormRadioGroup<T extends string, V extends FieldValues>({
  name,
  label,
  options,
}: FormRadioGroupProps<T, V>) {
  const { control } = useFormContext<V>();
  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <Radio.Group
          label={label}
          value={field.value}
          onChange={(value) => field.onChange(value as T)}
        >
          <Stack gap="xs" mt="xs">
            {options.map((option) => (
              <Radio
                key={option.value}
                value={option.value}
                label={option.label}
                description={option.description}
              />
            ))}
          </Stack>
        </Radio.Group>
      )}
    />
  );
}
