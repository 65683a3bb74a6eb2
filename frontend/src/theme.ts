import {
  createTheme,
  type CSSVariablesResolver,
  darken,
  luminance,
  type MantineTheme,
  toRgba,
} from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
});

/** WCAG AA for normal text: badges, helper text and table cells are all small. */
const AA = 4.5;
const WHITE = '#ffffff';

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** `color` darkened in small steps until it reaches AA against `background`; unchanged if it does already. */
export function readable(color: string, background: string): string {
  let result = color;
  for (let amount = 0.05; contrast(result, background) < AA && amount < 1; amount += 0.05) {
    result = darken(color, amount);
  }
  return result;
}

/** `color` at `opacity` over `background`, as the browser paints it. */
function over(color: string, opacity: number, background: string): string {
  const top = toRgba(color);
  const bottom = toRgba(background);
  const mix = (a: number, b: number) => Math.round(a * opacity + b * (1 - opacity));
  return `rgb(${mix(top.r, bottom.r)}, ${mix(top.g, bottom.g)}, ${mix(top.b, bottom.b)})`;
}

/**
 * Mantine's defaults paint shade 6 of a colour on white (filled buttons and badges, links, error
 * text: red.6 is 3.3:1) and on its own 10% tint (light badges, alerts, the active navigation link:
 * green.6 is 2.2:1), and helper text ("dimmed") is gray.6 (3.3:1 on white). Here each colour keeps
 * its hue, darkened only as far as AA needs: coloured text against its 12% tint (a hovered light
 * variant) laid over gray.1 (a hovered table row), the darkest background it sits on; a filled
 * colour against its white text.
 */
function readableColors(mantine: MantineTheme): Record<string, string> {
  const rowHover = mantine.colors.gray[1];
  const variables: Record<string, string> = {};
  for (const [name, palette] of Object.entries(mantine.colors)) {
    const base = palette[6];
    const text = readable(base, over(base, 0.12, rowHover));
    const filled = readable(base, WHITE);
    variables[`--mantine-color-${name}-text`] = text;
    variables[`--mantine-color-${name}-light-color`] = text;
    variables[`--mantine-color-${name}-outline`] = text;
    variables[`--mantine-color-${name}-filled`] = filled;
    variables[`--mantine-color-${name}-filled-hover`] = darken(filled, 0.1);
  }
  variables['--mantine-color-dimmed'] = readable(mantine.colors.gray[6], rowHover);
  variables['--mantine-color-error'] = `var(--mantine-color-red-text)`;
  variables['--mantine-color-anchor'] = `var(--mantine-color-${mantine.primaryColor}-text)`;
  return variables;
}

export const cssVariablesResolver: CSSVariablesResolver = (mantine) => ({
  variables: {},
  light: readableColors(mantine),
  dark: {},
});
