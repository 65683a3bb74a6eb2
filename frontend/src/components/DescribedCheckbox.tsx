import { Checkbox, type CheckboxProps } from '@mantine/core';
import { useId, type Ref } from 'react';

interface DescribedCheckboxProps extends Omit<CheckboxProps, 'description' | 'error'> {
  description?: string;
  error?: string;
  ref?: Ref<HTMLInputElement>;
}

/**
 * A Mantine Checkbox whose description and error are the input's accessible description (Mantine
 * ties them to text inputs, but not to checkboxes), so screen readers and tests find them.
 */
export function DescribedCheckbox({ description, error, ...props }: DescribedCheckboxProps) {
  const id = useId();
  const describedBy = [description && `${id}-description`, error && `${id}-error`]
    .filter(Boolean)
    .join(' ');
  return (
    <Checkbox
      {...props}
      aria-describedby={describedBy || undefined}
      aria-invalid={error ? true : undefined}
      description={description && <span id={`${id}-description`}>{description}</span>}
      error={error && <span id={`${id}-error`}>{error}</span>}
    />
  );
}
