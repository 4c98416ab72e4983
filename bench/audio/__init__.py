"""Audio benchmark: the whole normalization chain against ffmpeg's bare decode."""
