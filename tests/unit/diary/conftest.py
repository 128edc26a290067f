"""An in-memory DiaryRepository: the service and re-triage tested without a database."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crepitus.diary.types import (
    DiaryContents,
    Episode,
    RecordingAnalysis,
    StoredAssessment,
    StoredExerciseSession,
)


class MemoryRepo:
    """Implements crepitus.storage.repository.DiaryRepository with lists."""

    location = "memory"

    def __init__(self) -> None:
        self.episodes: list[Episode] = []
        self.sessions: list[StoredExerciseSession] = []
        self.assessments: list[StoredAssessment] = []
        self.recordings: list[RecordingAnalysis] = []

    def add_episode(self, episode: Episode) -> None:
        self.episodes.append(episode)

    def list_episodes(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[Episode]:
        out = sorted(self.episodes, key=lambda e: (e.when, e.id))
        return [
            e
            for e in out
            if (since is None or e.when >= since) and (until is None or e.when < until)
        ]

    def add_exercise_session(self, stored: StoredExerciseSession) -> None:
        self.sessions.append(stored)

    def update_exercise_session(self, stored: StoredExerciseSession) -> None:
        index = [s.id for s in self.sessions].index(stored.id)
        self.sessions[index] = stored

    def list_exercise_sessions(self, *, since: date | None = None) -> list[StoredExerciseSession]:
        return [s for s in self.sessions if since is None or s.session.done_on >= since]

    def add_assessment(self, stored: StoredAssessment) -> None:
        self.assessments.append(stored)

    def list_assessments(self) -> list[StoredAssessment]:
        return sorted(self.assessments, key=lambda a: a.recorded_at)

    def latest_assessment(self) -> StoredAssessment | None:
        return self.list_assessments()[-1] if self.assessments else None

    def add_recording(self, recording: RecordingAnalysis) -> None:
        self.recordings.append(recording)

    def list_recordings(self) -> list[RecordingAnalysis]:
        return list(self.recordings)

    def contents(self) -> DiaryContents:
        return DiaryContents(
            tuple(self.list_episodes()),
            tuple(self.sessions),
            tuple(self.list_assessments()),
            tuple(self.recordings),
        )

    def restore(self, contents: DiaryContents) -> None:
        assert not len(self.contents())
        self.episodes = list(contents.episodes)
        self.sessions = list(contents.exercise_sessions)
        self.assessments = list(contents.assessments)
        self.recordings = list(contents.recordings)

    def close(self) -> None:
        pass


@pytest.fixture
def repo() -> MemoryRepo:
    return MemoryRepo()
