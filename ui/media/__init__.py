"""The media area: a player beside the coding workspace (Qt Multimedia, loaded lazily: only
when a transcript has media), the waveform strip, tap-to-timestamp, linking and relocating."""
