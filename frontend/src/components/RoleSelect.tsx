import { NativeSelect, type NativeSelectProps } from '@mantine/core';
import { ROLES } from '../api/types';

/** A native <select> labelled "Role" with the tenant roles, most privileged first. */
export function RoleSelect(props: Omit<NativeSelectProps, 'data' | 'label'>) {
  return <NativeSelect label="Role" data={[...ROLES]} {...props} />;
}
