import { describe, expect, it } from 'vitest';
import { branchPrinterConfigSchema, printerKey, stationPrinters, stationPrintersSchema } from './printer-config';

describe('printer configuration', () => {
  it('defaults the port to 9100 and confirmation to status requests', () => {
    const station = stationPrintersSchema.parse({ stationId: 'grill', primary: { host: '192.168.1.50' } });
    expect(station.primary).toEqual({ host: '192.168.1.50', port: 9100, confirm: 'status' });
    expect(station.backup).toBeUndefined();
  });

  it('refuses a backup that is the primary itself', () => {
    const parsed = stationPrintersSchema.safeParse({
      stationId: 'grill',
      primary: { host: 'Kitchen-1.lan', port: 9100 },
      backup: { host: 'kitchen-1.lan' },
    });
    expect(parsed.success).toBe(false);
  });

  it('refuses hosts with a scheme or a port, and ports out of range', () => {
    expect(stationPrintersSchema.safeParse({ stationId: 'bar', primary: { host: 'tcp://10.0.0.5' } }).success).toBe(false);
    expect(stationPrintersSchema.safeParse({ stationId: 'bar', primary: { host: '10.0.0.5', port: 70_000 } }).success).toBe(false);
  });

  it('refuses a station listed twice and an unknown time zone', () => {
    const grill = { stationId: 'grill', primary: { host: '10.0.0.5' } };
    expect(branchPrinterConfigSchema.safeParse({ branchId: 'cairo', stations: [grill, grill] }).success).toBe(false);
    expect(branchPrinterConfigSchema.safeParse({ branchId: 'cairo', timeZone: 'Mars/Olympus', stations: [] }).success).toBe(false);
  });

  it('finds a station\'s printers, or none', () => {
    const config = branchPrinterConfigSchema.parse({
      branchId: 'cairo',
      timeZone: 'Africa/Cairo',
      stations: [{ stationId: 'grill', primary: { host: '10.0.0.5' }, backup: { host: '10.0.0.6', port: 9101 } }],
    });
    expect(stationPrinters(config, 'grill')?.backup?.port).toBe(9101);
    expect(stationPrinters(config, 'bar')).toBeNull();
    expect(printerKey({ host: 'Printer.LAN', port: 9100 })).toBe('printer.lan:9100');
  });
});
