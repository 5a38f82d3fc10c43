"""The limits of one file job, read from settings when a job starts."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings

MB = 1024 * 1024


@dataclass(frozen=True)
class JobLimits:
    cpu_seconds: int
    memory_bytes: int
    wall_seconds: int
    max_text_chars: int
    max_zip_member_bytes: int
    max_zip_ratio: int
    max_image_pixels: int
    office_memory_bytes: int
    office_conversion: bool = True
    # Added to the worker's nice value: file work yields the CPU to requests.
    niceness: int = 10
    # Page images for the viewer: at most this many, this many pixels wide.
    max_pages: int = 0
    page_width: int = 1280

    @classmethod
    def from_settings(cls) -> JobLimits:
        return cls(
            cpu_seconds=settings.WINGMAN_JOB_CPU_SECONDS,
            memory_bytes=settings.WINGMAN_JOB_MEMORY_MB * MB,
            wall_seconds=settings.WINGMAN_JOB_WALL_SECONDS,
            max_text_chars=settings.WINGMAN_JOB_MAX_TEXT_CHARS,
            max_zip_member_bytes=settings.WINGMAN_JOB_MAX_ZIP_MEMBER_MB * MB,
            max_zip_ratio=settings.WINGMAN_JOB_MAX_ZIP_RATIO,
            max_image_pixels=settings.WINGMAN_JOB_MAX_IMAGE_PIXELS,
            office_memory_bytes=max(
                settings.WINGMAN_JOB_OFFICE_MEMORY_MB * MB,
                settings.WINGMAN_JOB_MEMORY_MB * MB,
            ),
            office_conversion=settings.WINGMAN_JOB_OFFICE_CONVERSION,
            niceness=settings.WINGMAN_JOB_NICENESS,
            max_pages=settings.WINGMAN_PAGES_MAX,
            page_width=settings.WINGMAN_PAGES_WIDTH,
        )

    def as_dict(self) -> dict[str, int | bool]:
        return asdict(self)
