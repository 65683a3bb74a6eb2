// Shapes of the Replicator REST API (/api/v1), JSON in camelCase.
// Kept by hand until the dashboard's types are generated from the server's openapi.yaml.

export const ROLES = ['ADMIN', 'OPERATOR', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export type PrincipalKind = 'USER' | 'TOKEN' | 'PLATFORM_ADMIN';

/** The signed-in principal, from GET /api/v1/auth/me (and the body of a successful login). */
export interface Me {
  kind: PrincipalKind;
  tenantId: string | null;
  role: Role | null;
  name: string;
  platformAdmin: boolean;
}

export type Credentials = { email: string; password: string } | { token: string };

/** One page of a list endpoint; pass nextCursor back as ?cursor= for the next page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
}

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
}

/** Returned once, by POST .../tokens: the only response that carries the secret. */
export interface CreatedApiToken {
  id: string;
  name: string;
  role: Role;
  token: string;
  createdAt: string;
  createdBy: string;
}

export interface User {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
}

export interface AuditEvent {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  sourceIp: string | null;
}

/** RFC 9457 application/problem+json, as every API error is sent. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}
