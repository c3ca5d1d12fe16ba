import { z } from 'zod';

/**
 * What a kitchen screen shows — which stations, and tickets or expo — chosen on the device and
 * remembered in localStorage per paired device, so the grill screen is still the grill screen
 * after a reload or a power cut.
 */
export const KDS_MODES = ['tickets', 'expo'] as const;
export type KdsMode = (typeof KDS_MODES)[number];

const screenChoiceSchema = z.object({
  /** Station ids; empty means every station. */
  stations: z.array(z.string().max(64)).max(50),
  mode: z.enum(KDS_MODES),
});
export type ScreenChoice = z.infer<typeof screenChoiceSchema>;

const DEFAULT_CHOICE: ScreenChoice = { stations: [], mode: 'tickets' };
const keyFor = (deviceId: string) => `restoflow.kds.screen.${deviceId}`;

export function readScreenChoice(deviceId: string): ScreenChoice {
  try {
    const raw = localStorage.getItem(keyFor(deviceId));
    if (raw === null) return DEFAULT_CHOICE;
    const parsed = screenChoiceSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : DEFAULT_CHOICE;
  } catch {
    return DEFAULT_CHOICE;
  }
}

export function writeScreenChoice(deviceId: string, choice: ScreenChoice): void {
  try {
    localStorage.setItem(keyFor(deviceId), JSON.stringify(choice));
  } catch {
    // Without localStorage the choice lasts until the page is reloaded.
  }
}
