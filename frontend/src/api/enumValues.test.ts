import { describe, expect, it } from 'vitest';
import { enumValues } from './enumValues';

type Colour = 'RED' | 'GREEN' | 'BLUE';

describe('enumValues', () => {
  it('returns the values as given, in their order', () => {
    const colours = enumValues<Colour>()(['GREEN', 'RED', 'BLUE']);
    const typed: readonly ['GREEN', 'RED', 'BLUE'] = colours;
    expect(typed).toEqual(['GREEN', 'RED', 'BLUE']);
  });

  it('refuses, at compile time, an array that leaves a value out or adds one', () => {
    // @ts-expect-error BLUE is missing.
    const incomplete = enumValues<Colour>()(['RED', 'GREEN']);
    // @ts-expect-error YELLOW is not a Colour.
    const extra = enumValues<Colour>()(['RED', 'GREEN', 'BLUE', 'YELLOW']);
    expect([incomplete, extra]).toHaveLength(2);
  });
});
