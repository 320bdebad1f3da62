"""Sound for the film: voices, dubbing, the mix and subtitles.

- `voices`: find the Piper voices on this machine (the bundled "joe" voice and the user's own
  `.onnx` voices) and load them once per process, with seeded, reproducible synthesis.
- `dubbing`: the one place where a dialogue line's delivery is decided (profile, override,
  parenthetical) and default per-character voice profiles.
- `dsp`: small signal helpers (resampling, filters, silence trimming, levels).
- `space`: constant-power panning, binaural rendering and per-scene rooms.
- `mix`: dialogue, music and effects buses, ducking, loudness normalisation and a true-peak limiter.
- `subtitles`: timed-text cues that follow subtitling practice, written as SRT or WebVTT.

Nothing here imports Qt; heavy libraries (onnxruntime, pedalboard) are imported inside functions.
"""
