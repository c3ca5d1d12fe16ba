import { describe, expect, it } from 'vitest';
import { parsePaperStatus } from './printer-transport';

describe('DLE EOT 4 answers', () => {
  it('reads paper present, near end and out from the sensor bits', () => {
    expect(parsePaperStatus(0x12)).toEqual({ isPaperOut: false, isPaperLow: false });
    expect(parsePaperStatus(0x12 | 0x0c)).toEqual({ isPaperOut: false, isPaperLow: true });
    expect(parsePaperStatus(0x12 | 0x60)).toEqual({ isPaperOut: true, isPaperLow: false });
  });

  it('takes an answer with unexpected fixed bits as "alive, with paper"', () => {
    expect(parsePaperStatus(0xff)).toEqual({ isPaperOut: false, isPaperLow: false });
    expect(parsePaperStatus(0x00)).toEqual({ isPaperOut: false, isPaperLow: false });
  });
});
