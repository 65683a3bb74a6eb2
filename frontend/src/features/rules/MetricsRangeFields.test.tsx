import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDLE_POLL_MS } from '../../api/polling';
import { formatInstant } from '../../components/Timestamp';
import { json } from '../../test/fetchStub';
import { elapse, fakeClock } from '../../test/liveRefresh';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';
import { fromLocalInput } from '../../components/localDateTime';
import { emptyMetrics, photosRule, rulesPath, stubRulesApi } from './rules.fixtures';

const photosPage = `/tenants/${TENANT_ID}/rules/${photosRule.id}`;
const metricsPath = `${rulesPath}/${photosRule.id}/metrics`;

const HOUR = 60 * 60 * 1000;

// In the browser's time zone, as the datetime-local inputs take them.
const from = new Date(2026, 2, 6, 9, 0);
const to = new Date(2026, 2, 6, 15, 30);
const customLink = `${photosPage}?from=${from.toISOString()}&to=${to.toISOString()}`;

function stubMetrics() {
  const requests = stubRulesApi(tenantMember('VIEWER'), {
    [`GET ${metricsPath}`]: ({ searchParams }) =>
      json(200, {
        ...emptyMetrics(photosRule),
        from: searchParams.get('from'),
        to: searchParams.get('to'),
      }),
  });
  const metricsRequests = () => requests.filter((request) => request.path === metricsPath);
  return { metricsRequests };
}

function windowOf(request: { searchParams: URLSearchParams }) {
  return { from: request.searchParams.get('from'), to: request.searchParams.get('to') };
}

function searchOf(router: { state: { location: { search: string } } }) {
  return Object.fromEntries(new URLSearchParams(router.state.location.search));
}

function customRangeForm() {
  return screen.getByRole('form', { name: 'Custom time range' });
}

/** Sets a datetime-local input as a browser's date picker does: the whole value at once. */
function enter(label: 'From' | 'To', value: string) {
  fireEvent.change(within(customRangeForm()).getByLabelText(label), { target: { value } });
}

/** The rule page showing the last hour, with "Custom range…" chosen. */
async function openCustomRange() {
  const { metricsRequests } = stubMetrics();
  const { user, router } = renderApp(photosPage);
  await screen.findByText(/Figures for the last hour/);
  await waitFor(() => expect(metricsRequests()).toHaveLength(1));
  await user.click(screen.getByRole('radio', { name: 'Custom range…' }));
  return { metricsRequests, user, router };
}

describe('RulePage custom time range', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks for exactly the window applied, keeps it in the URL and names it with its time zone', async () => {
    const { metricsRequests, user, router } = await openCustomRange();

    // The fields start with the range shown: the last hour, to the minute.
    const form = customRangeForm();
    const shownFrom = fromLocalInput(
      (within(form).getByLabelText('From') as HTMLInputElement).value,
    );
    const shownTo = fromLocalInput((within(form).getByLabelText('To') as HTMLInputElement).value);
    expect(shownTo! - shownFrom!).toBe(HOUR);
    expect(Date.now() - shownTo!).toBeLessThan(2 * 60_000);
    expect(router.state.location.search).toBe('');

    enter('From', '2026-03-06T09:00');
    enter('To', '2026-03-06T15:30');
    await user.click(within(form).getByRole('button', { name: 'Apply' }));

    await waitFor(() => expect(metricsRequests()).toHaveLength(2));
    expect(windowOf(metricsRequests()[1]!)).toEqual({
      from: from.toISOString(),
      to: to.toISOString(),
    });
    expect(searchOf(router)).toEqual({ from: from.toISOString(), to: to.toISOString() });
    expect(
      await screen.findByText(
        `Figures for the window from ${formatInstant(from)} to ${formatInstant(to)}`,
        { exact: false },
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Custom range…' })).toBeChecked();
  });

  it('fetches nothing for an inverted, too long or future range, saying what to do', async () => {
    const { metricsRequests, user, router } = await openCustomRange();
    const form = customRangeForm();
    const apply = within(form).getByRole('button', { name: 'Apply' });

    const refused = [
      {
        from: '2026-03-06T15:30',
        to: '2026-03-06T09:00',
        field: 'To',
        error: 'To must be after From: enter a later To or an earlier From.',
      },
      {
        from: '2026-01-01T00:00',
        to: '2026-02-01T00:01',
        field: 'From',
        error: 'The range is longer than 31 days: enter a From at most 31 days before To.',
      },
      {
        from: '2999-01-01T00:00',
        to: '2999-01-01T01:00',
        field: 'To',
        error: 'To is in the future: enter a time no later than now.',
      },
    ];
    for (const { from, to, field, error } of refused) {
      enter('From', from);
      enter('To', to);
      await user.click(apply);
      expect(within(form).getByLabelText(field)).toHaveAccessibleDescription(error);
      expect(within(form).getByLabelText(field)).toBeInvalid();
      const other = field === 'To' ? 'From' : 'To';
      expect(within(form).getByLabelText(other)).toBeValid();
    }

    expect(metricsRequests()).toHaveLength(1);
    expect(router.state.location.search).toBe('');
    expect(screen.getByText(/Figures for the last hour/)).toBeInTheDocument();

    // 31 days exactly is the longest range.
    enter('From', '2026-01-01T00:00');
    enter('To', '2026-02-01T00:00');
    await user.click(apply);
    await waitFor(() => expect(metricsRequests()).toHaveLength(2));
    expect(windowOf(metricsRequests()[1]!)).toEqual({
      from: new Date(2026, 0, 1).toISOString(),
      to: new Date(2026, 1, 1).toISOString(),
    });
  });

  it('opens a link with from and to on that window', async () => {
    const { metricsRequests } = stubMetrics();
    renderApp(customLink);

    expect(
      await screen.findByText(
        `Figures for the window from ${formatInstant(from)} to ${formatInstant(to)}`,
        { exact: false },
      ),
    ).toBeInTheDocument();
    await waitFor(() => expect(metricsRequests()).toHaveLength(1));
    expect(windowOf(metricsRequests()[0]!)).toEqual({
      from: from.toISOString(),
      to: to.toISOString(),
    });
    expect(screen.getByRole('radio', { name: 'Custom range…' })).toBeChecked();
    const form = customRangeForm();
    expect(within(form).getByLabelText('From')).toHaveValue('2026-03-06T09:00');
    expect(within(form).getByLabelText('To')).toHaveValue('2026-03-06T15:30');
  });

  it('drops from and to when a preset is chosen again', async () => {
    const { metricsRequests } = stubMetrics();
    const { user, router } = renderApp(`${customLink}&objectStatus=PENDING`);
    await waitFor(() => expect(metricsRequests()).toHaveLength(1));

    await user.click(await screen.findByRole('radio', { name: 'Last 6 hours' }));

    expect(searchOf(router)).toEqual({ range: '6h', objectStatus: 'PENDING' });
    await waitFor(() => expect(metricsRequests()).toHaveLength(2));
    const window = windowOf(metricsRequests()[1]!);
    expect(Date.parse(window.to!) - Date.parse(window.from!)).toBe(6 * HOUR);
    expect(screen.queryByRole('form', { name: 'Custom time range' })).not.toBeInTheDocument();
    expect(await screen.findByText(/Figures for the last 6 hours/)).toBeInTheDocument();
  });

  it.each([
    ['unreadable', `from=yesterday&to=${to.toISOString()}`, 'From', /Enter the date and time/],
    [
      'inverted',
      `from=${to.toISOString()}&to=${from.toISOString()}`,
      'To',
      /To must be after From/,
    ],
    ['missing its To', `from=${from.toISOString()}`, 'To', /Enter the date and time/],
  ] as const)(
    'shows the last hour for a link whose range is %s, saying what is wrong',
    async (_, search, field, error) => {
      const { metricsRequests } = stubMetrics();
      const { user, router } = renderApp(`${photosPage}?${search}`);

      expect(await screen.findByTestId('invalid-range-link')).toHaveTextContent(
        'these are the figures for the last hour',
      );
      expect(within(customRangeForm()).getByLabelText(field)).toHaveAccessibleDescription(error);
      expect(screen.getByText(/Figures for the last hour/)).toBeInTheDocument();
      await waitFor(() => expect(metricsRequests()).toHaveLength(1));
      const window = windowOf(metricsRequests()[0]!);
      expect(Date.parse(window.to!) - Date.parse(window.from!)).toBe(HOUR);

      await user.click(screen.getByRole('radio', { name: 'Last hour' }));
      expect(router.state.location.search).toBe('');
      expect(screen.queryByTestId('invalid-range-link')).not.toBeInTheDocument();
    },
  );

  it('keeps a custom window where it is while polling', async () => {
    fakeClock();
    const { metricsRequests } = stubMetrics();
    renderApp(customLink);
    await waitFor(() => expect(metricsRequests()).toHaveLength(1));

    await elapse(IDLE_POLL_MS);

    await waitFor(() => expect(metricsRequests()).toHaveLength(2));
    expect(windowOf(metricsRequests()[1]!)).toEqual({
      from: from.toISOString(),
      to: to.toISOString(),
    });
  });
});
