'use client';
// Alert sounds: a mute toggle (muted by default) and which tones beep, remembered in localStorage.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Tone } from '@/lib/feed/alert-kinds.ts';
import {
  DEFAULT_SOUND,
  parseSoundSettings,
  SOUND_STORAGE_KEY,
  type SoundSettings,
  unlockAudio,
} from '@/lib/feed/sound-settings.ts';

export function useSoundSettings(): [SoundSettings, (s: SoundSettings) => void] {
  const [settings, setSettings] = useState(DEFAULT_SOUND);
  useEffect(() => {
    setSettings(parseSoundSettings(window.localStorage.getItem(SOUND_STORAGE_KEY)));
  }, []);
  const update = useCallback((s: SoundSettings) => {
    setSettings(s);
    window.localStorage.setItem(SOUND_STORAGE_KEY, JSON.stringify(s));
  }, []);
  return [settings, update];
}

const TONE_LABEL: Record<Tone, string> = {
  up: 'Up moves',
  down: 'Down moves',
  halt: 'Halts',
  indicator: 'Indicators',
};

export function SoundToggle({
  settings,
  onChange,
}: {
  settings: SoundSettings;
  onChange: (s: SoundSettings) => void;
}) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [open]);
  return (
    <div ref={box} className="relative flex items-center">
      <button
        type="button"
        aria-pressed={!settings.muted}
        data-testid="sound-toggle"
        onClick={() => {
          if (settings.muted) unlockAudio();
          onChange({ ...settings, muted: !settings.muted });
        }}
        className="flex h-10 min-w-10 items-center justify-center rounded px-2 text-muted hover:bg-panel hover:text-text"
        title={settings.muted ? 'Sound off: click to turn on' : 'Sound on: click to mute'}
      >
        <SpeakerIcon muted={settings.muted} />
        <span className="sr-only">{settings.muted ? 'Unmute alert sounds' : 'Mute alert sounds'}</span>
      </button>
      <button
        type="button"
        aria-expanded={open}
        aria-label="Which alerts make a sound"
        onClick={() => setOpen((o) => !o)}
        className="flex h-10 w-7 items-center justify-center rounded text-muted hover:bg-panel hover:text-text"
      >
        ▾
      </button>
      {open && (
        <fieldset className="absolute right-0 top-11 z-20 w-44 rounded border border-line bg-panel p-2 shadow-lg">
          <legend className="sr-only">Sound per alert type</legend>
          {(Object.keys(TONE_LABEL) as Tone[]).map((t) => (
            <label key={t} className="flex h-9 items-center gap-2 px-1">
              <input
                type="checkbox"
                className="size-4 accent-accent"
                checked={settings.tones[t]}
                onChange={(e) =>
                  onChange({ ...settings, tones: { ...settings.tones, [t]: e.target.checked } })
                }
              />
              {TONE_LABEL[t]}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}

function SpeakerIcon({ muted }: { muted: boolean }) {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M4 9v6h4l5 4V5L8 9H4z" fill="currentColor" stroke="none" />
      {muted ? (
        <path d="M16 9l5 6M21 9l-5 6" strokeLinecap="round" />
      ) : (
        <path d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12" strokeLinecap="round" />
      )}
    </svg>
  );
}
