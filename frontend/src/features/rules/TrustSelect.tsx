import { NativeSelect } from '@mantine/core';
import type { ReactNode } from 'react';
import { useFormContext, useWatch, type FieldValues, type Path } from 'react-hook-form';
import type { Trust } from '../../api/types';

interface TrustSelectProps<V extends FieldValues> {
  name: Path<V>;
  label: string;
  trusts: Trust[];
  description?: ReactNode;
  error?: string;
}

/** A native <select> of the tenant's trusts by name (value: the trust id), in a react-hook-form form. */
export function TrustSelect<V extends FieldValues>({
  name,
  label,
  trusts,
  description,
  error,
}: TrustSelectProps<V>) {
  const { register, control } = useFormContext<V>();
  const value: unknown = useWatch({ control, name });
  return (
    <NativeSelect
      label={label}
      description={description}
      data={trustOptions(trusts, typeof value === 'string' ? value : '')}
      error={error}
      {...register(name)}
    />
  );
}

/** The trusts as options after an empty "Choose a trust"; a chosen trust not in the list keeps its id. */
export function trustOptions(trusts: Trust[], value: string) {
  const options = [
    { value: '', label: 'Choose a trust' },
    ...trusts.map((trust) => ({ value: trust.id, label: trust.name })),
  ];
  if (value && !trusts.some((trust) => trust.id === value)) {
    options.push({ value, label: value });
  }
  return options;
}
