import { List } from '@mantine/core';

/** What each tenant role may do; the server enforces the same rules. */
export function RoleHelp() {
  return (
    <List size="sm" mt={4}>
      <List.Item>VIEWER: read only.</List.Item>
      <List.Item>OPERATOR: also runs batch jobs, retries failed copies and posts events.</List.Item>
      <List.Item>ADMIN: everything in its tenant, including API tokens and users.</List.Item>
    </List>
  );
}
