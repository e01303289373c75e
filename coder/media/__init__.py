"""Media linked to a transcript: where the file is and how to know it again (files), what
time is spoken where (timing), and the writes (commands). Never Qt: the GUI plays the file,
and probes durations the standard library cannot (anything but WAV) through `probers`."""

from .commands import LinkMedia, SetMediaOffset, SetTurnTimes, UnlinkMedia
from .model import MediaFacts, MediaInfo, MediaProblem

__all__ = ["LinkMedia", "MediaFacts", "MediaInfo", "MediaProblem", "SetMediaOffset",
           "SetTurnTimes", "UnlinkMedia"]
