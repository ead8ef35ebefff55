// Alert sounds: off by default (a trader opts in), per tone, remembered in localStorage. The beep is
// synthesised with Web Audio (no audio files to cache); a burst of alerts beeps once.
import type { Tone } from './alert-kinds.ts';

export const SOUND_STORAGE_KEY = 'ta.sound.v1';

export interface SoundSettings {
  muted: boolean;
  tones: Record<Tone, boolean>;
}

export const DEFAULT_SOUND: SoundSettings = {
  muted: true,
  tones: { up: true, down: true, halt: true, indicator: false },
};

export function parseSoundSettings(raw: string | null): SoundSettings {
  if (!raw) return DEFAULT_SOUND;
  try {
    // Checked by hand (no zod in the feed's bundle): anything but the exact shape is the default.
    const p = JSON.parse(raw) as { muted?: unknown; tones?: Record<string, unknown> | null };
    const t = p?.tones;
    const tonesOk = typeof t === 'object' && t !== null && !Array.isArray(t);
    const b = (x: unknown): x is boolean => typeof x === 'boolean';
    if (!b(p?.muted) || !tonesOk || !b(t.up) || !b(t.down) || !b(t.halt) || !b(t.indicator))
      return DEFAULT_SOUND;
    return { muted: p.muted, tones: { up: t.up, down: t.down, halt: t.halt, indicator: t.indicator } };
  } catch {
    return DEFAULT_SOUND;
  }
}

// Distinct pitches so the ear tells direction without looking: high up, low down, a double beep for halts.
const PITCH: Record<Tone, { hz: number; pulses: number }> = {
  up: { hz: 988, pulses: 1 },
  down: { hz: 494, pulses: 1 },
  halt: { hz: 740, pulses: 2 },
  indicator: { hz: 1319, pulses: 1 },
};

let ctx: AudioContext | undefined;

/** Creates or resumes the audio context; call it from a user gesture (the unmute click). */
export function unlockAudio(): void {
  if (typeof window === 'undefined' || !('AudioContext' in window)) return;
  ctx ??= new AudioContext();
  void ctx.resume();
}

export function beep(tone: Tone): void {
  if (ctx?.state !== 'running') return;
  const { hz, pulses } = PITCH[tone];
  for (let i = 0; i < pulses; i++) {
    const t = ctx.currentTime + i * 0.16;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = hz;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.2, t + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.12);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.13);
  }
}
