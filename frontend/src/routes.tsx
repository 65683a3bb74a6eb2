import { Navigate, type RouteObject } from 'react-router';
import { AuditPage } from './features/audit/AuditPage';
import { HomeRedirect } from './features/auth/HomeRedirect';
import { BatchJobPage } from './features/batchJobs/BatchJobPage';
import { BatchJobsPage } from './features/batchJobs/BatchJobsPage';
import { NewBatchJobPage } from './features/batchJobs/NewBatchJobPage';
import { LoginPage } from './features/auth/LoginPage';
import { RequireAuth } from './features/auth/RequireAuth';
import { EditRulePage } from './features/rules/EditRulePage';
import { ImportRulesPage } from './features/rules/ImportRulesPage';
import { NewRulePage } from './features/rules/NewRulePage';
import { RulePage } from './features/rules/RulePage';
import { RulesPage } from './features/rules/RulesPage';
import { TenantsPage } from './features/tenants/TenantsPage';
import { TokensPage } from './features/tokens/TokensPage';
import { EditTrustPage } from './features/trusts/EditTrustPage';
import { NewTrustPage } from './features/trusts/NewTrustPage';
import { TrustPage } from './features/trusts/TrustPage';
import { TrustsPage } from './features/trusts/TrustsPage';
import { UsersPage } from './features/users/UsersPage';
import { EditWebhookPage } from './features/webhooks/EditWebhookPage';
import { NewWebhookPage } from './features/webhooks/NewWebhookPage';
import { WebhookPage } from './features/webhooks/WebhookPage';
import { WebhooksPage } from './features/webhooks/WebhooksPage';
import { OverviewPage } from './features/overview/OverviewPage';
import { AppLayout } from './layout/AppLayout';
import { NotFoundPage } from './layout/NotFoundPage';
import { TenantScope } from './layout/TenantScope';

/** Routes follow the API's resources, tenant first: /tenants/:tenantId/<resource>. */
export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: 'tenants', element: <TenantsPage /> },
          {
            path: 'tenants/:tenantId',
            element: <TenantScope />,
            children: [
              { index: true, element: <Navigate to="overview" replace /> },
              { path: 'overview', element: <OverviewPage /> },
              { path: 'trusts', element: <TrustsPage /> },
              { path: 'trusts/new', element: <NewTrustPage /> },
              { path: 'trusts/:trustId', element: <TrustPage /> },
              { path: 'trusts/:trustId/edit', element: <EditTrustPage /> },
              { path: 'rules', element: <RulesPage /> },
              { path: 'rules/new', element: <NewRulePage /> },
              { path: 'rules/import', element: <ImportRulesPage /> },
              { path: 'rules/:ruleId', element: <RulePage /> },
              { path: 'rules/:ruleId/edit', element: <EditRulePage /> },
              { path: 'batch-jobs', element: <BatchJobsPage /> },
              { path: 'batch-jobs/new', element: <NewBatchJobPage /> },
              { path: 'batch-jobs/:jobId', element: <BatchJobPage /> },
              { path: 'webhooks', element: <WebhooksPage /> },
              { path: 'webhooks/new', element: <NewWebhookPage /> },
              { path: 'webhooks/:webhookId', element: <WebhookPage /> },
              { path: 'webhooks/:webhookId/edit', element: <EditWebhookPage /> },
              { path: 'tokens', element: <TokensPage /> },
              { path: 'users', element: <UsersPage /> },
              { path: 'audit', element: <AuditPage /> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];
