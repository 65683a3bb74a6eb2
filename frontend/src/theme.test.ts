import { DEFAULT_THEME, mergeMantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { contrast, cssVariablesResolver, theme } from './theme';

const mantine = mergeMantineTheme(DEFAULT_THEME, theme);
const light = cssVariablesResolver(mantine).light;
const WHITE = '#ffffff';

function variable(name: `--${string}`): string {
  const value = light[name];
  if (value === undefined) throw new Error(`no ${name}`);
  return value;
}

/** `hex` at 12% over white: a hovered light variant's background. */
function tintOf(hex: string): string {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${channels.map((c) => Math.round(c * 0.12 + 255 * 0.88)).join(', ')})`;
}

describe('theme', () => {
  it.each(Object.entries(mantine.colors))(
    'gives %s text and filled backgrounds at least 4.5:1 (WCAG AA)',
    (name, palette) => {
      const text = variable(`--mantine-color-${name}-light-color`);
      expect(contrast(text, WHITE)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(text, tintOf(palette[6]))).toBeGreaterThanOrEqual(4.5);
      expect(variable(`--mantine-color-${name}-text`)).toBe(text);
      expect(contrast(variable(`--mantine-color-${name}-filled`), WHITE)).toBeGreaterThanOrEqual(
        4.5,
      );
    },
  );

  it('keeps helper text readable on white and on a hovered table row', () => {
    const dimmed = variable('--mantine-color-dimmed');
    expect(contrast(dimmed, WHITE)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(dimmed, mantine.colors.gray[1])).toBeGreaterThanOrEqual(4.5);
  });

  it('leaves a colour that is readable already as it is', () => {
    expect(variable('--mantine-color-dark-filled')).toBe(mantine.colors.dark[6]);
  });
});
