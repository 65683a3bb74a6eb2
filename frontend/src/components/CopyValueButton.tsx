import { Button, CopyButton } from '@mantine/core';

/**
 * A "Copy" button; what reads as "Copied" for a moment after a click. Beside a long value in a row (a report location,
 * a URL) it keeps its width and the value wraps: a flex item shrinks in proportion to its content, so the button was
 * squeezed to a sliver next to a long location.
 */
export function CopyValueButton({ value, what }: { value: string; what: string }) {
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button
          size="xs"
          variant={copied ? 'filled' : 'light'}
          color={copied ? 'teal' : undefined}
          onClick={copy}
          style={{ flexShrink: 0 }}
          aria-label={copied ? `Copied ${what}` : `Copy ${what}`}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
      )}
    </CopyButton>
  );
}
