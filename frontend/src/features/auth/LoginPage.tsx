import { Anchor, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Login } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLogin } from './api';
import { PasswordLoginForm, TokenLoginForm } from './LoginForms';
import { homePath } from './session';

/** Sign-in with email and password, or (?method=token) with an API token. */
export function LoginPage() {
  const [searchParams] = useSearchParams();
  const withToken = searchParams.get('method') === 'token';
  const login = useLogin();
  const navigate = useNavigate();

  const submit = (credentials: Login) =>
    login.mutate(credentials, {
      onSuccess: (me) => navigate(homePath(me), { replace: true }),
    });

  return (
    <Center component="main" mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={420} maw="100%">
        <Stack>
          <Title order={1} size="h2">
            Sign in to Replicator
          </Title>
          <ProblemAlert error={login.error} />
          {withToken ? (
            <>
              <Text size="sm" c="dimmed">
                Paste an API token. The platform administrator&apos;s token is printed in the server
                log when the server starts for the first time.
              </Text>
              <TokenLoginForm onSubmit={submit} pending={login.isPending} />
              <Anchor component={Link} to="/login" size="sm" onClick={() => login.reset()}>
                Sign in with email and password
              </Anchor>
            </>
          ) : (
            <>
              <PasswordLoginForm onSubmit={submit} pending={login.isPending} />
              <Anchor
                component={Link}
                to="/login?method=token"
                size="sm"
                onClick={() => login.reset()}
              >
                Sign in with an API token
              </Anchor>
            </>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
