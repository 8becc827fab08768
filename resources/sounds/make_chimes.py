"""Synthesise the share round's two chimes: run `python resources/sounds/make_chimes.py`.

Soft bell-like tones (a few harmonics with a gentle attack and a long fade), written as
16-bit mono WAV, so that the files are ours and can be made again from this script.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 44_100
HERE = Path(__file__).parent


def bell(frequency: float, start: float = 0.0) -> list[tuple[float, float, float, float]]:
    """Partials of one bell stroke: (start, frequency, relative loudness, decay per second)."""
    return [
        (start, frequency, 1.0, 3.0),
        (start, frequency * 2.0, 0.35, 4.5),
        (start, frequency * 3.0, 0.12, 6.0),
        (start, frequency * 4.2, 0.05, 8.0),
    ]


def render(partials: list[tuple[float, float, float, float]], seconds: float, loudness: float = 0.35) -> bytes:
    frames = bytearray()
    for n in range(int(RATE * seconds)):
        t = n / RATE
        sample = 0.0
        for start, frequency, level, decay in partials:
            if t < start:
                continue
            local = t - start
            attack = min(1.0, local / 0.012)  # no click at the start
            sample += level * attack * math.exp(-decay * local) * math.sin(2 * math.pi * frequency * local)
        fade = min(1.0, (seconds - t) / 0.05)  # no click at the end
        frames += struct.pack("<h", int(max(-1.0, min(1.0, sample * loudness * fade)) * 32767))
    return bytes(frames)


def write(name: str, data: bytes) -> None:
    with wave.open(str(HERE / name), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(data)


if __name__ == "__main__":
    write("warning.wav", render(bell(660.0), 1.4, loudness=0.25))
    write("time.wav", render(bell(660.0) + bell(523.25, start=0.35), 1.8, loudness=0.3))
