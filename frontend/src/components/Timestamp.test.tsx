import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Timestamp } from './Timestamp';

describe('Timestamp', () => {
  it('names the time zone it shows the instant in, and keeps the exact value', () => {
    render(<Timestamp value="2026-03-07T09:10:00Z" />);
    const time = screen.getByText((_, element) => element?.tagName === 'TIME');
    const zone = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' })
      .formatToParts(new Date('2026-03-07T09:10:00Z'))
      .find((part) => part.type === 'timeZoneName')!.value;
    expect(time).toHaveTextContent(zone);
    expect(time).toHaveAttribute('dateTime', '2026-03-07T09:10:00Z');
    expect(time).toHaveAttribute('title', '2026-03-07T09:10:00Z');
  });

  it('shows a dash without a value', () => {
    render(<Timestamp value={null} />);
    expect(screen.getByText('—')).toBeInTheDocument();
  });
});
