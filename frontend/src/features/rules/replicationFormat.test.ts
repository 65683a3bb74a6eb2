import { describe, expect, it } from 'vitest';
import { formatMinutes, formatSeconds, formatSecondsShort } from './replicationFormat';

describe('formatMinutes', () => {
  it('says one minute in the singular', () => {
    expect(formatMinutes(1)).toBe('1 minute');
    expect(formatMinutes(15)).toBe('15 minutes');
  });
});

describe('formatSecondsShort', () => {
  it('stays one short unit for axis ticks', () => {
    expect(formatSecondsShort(0)).toBe('0 s');
    expect(formatSecondsShort(20)).toBe('20 s');
    expect(formatSecondsShort(250)).toBe('4.2 min');
    expect(formatSecondsShort(5400)).toBe('1.5 h');
  });
});

describe('formatSeconds', () => {
  it('reads as seconds, minutes or hours, and a dash when unknown', () => {
    expect(formatSeconds(0.42)).toBe('0.4 s');
    expect(formatSeconds(42)).toBe('42 s');
    expect(formatSeconds(185)).toBe('3 min 5 s');
    expect(formatSeconds(7800)).toBe('2 h 10 min');
    expect(formatSeconds(null)).toBe('—');
  });
});
