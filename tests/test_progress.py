"""generator.progress: loops report to an observer only when one is installed; the CLI's
rich observer stays silent when stdout is not a terminal."""

from __future__ import annotations

from generator.progress import observe, track


class Recorder:
    def __init__(self):
        self.events = []

    def start(self, label, total):
        self.events.append(("start", label, total))

    def step(self, label, item):
        self.events.append(("step", item))

    def stop(self, label):
        self.events.append(("stop", label))


def test_track_without_an_observer_just_yields():
    assert list(track([1, 2], "x")) == [1, 2]


def test_track_tells_the_observer():
    recorder = Recorder()
    with observe(recorder):
        assert list(track(["a", "b"], "读取")) == ["a", "b"]
    assert recorder.events == [("start", "读取", 2), ("step", "a"), ("step", "b"),
                               ("stop", "读取")]
    assert list(track([3], "y")) == [3] and len(recorder.events) == 4  # uninstalled


def test_workspace_loading_is_tracked(tmp_path):
    from generator.api import init_workspace, validate_workspace

    init_workspace(tmp_path / "ws", region="测试区", departments=["司法局", "公安局"])
    recorder = Recorder()
    with observe(recorder):
        validate_workspace(tmp_path / "ws")
    assert recorder.events[0] == ("start", "读取部门材料", 2)
    assert [e[1].name for e in recorder.events if e[0] == "step"] == ["公安局.xlsx", "司法局.xlsx"]


def test_no_progress_bar_when_stdout_is_not_a_terminal(capsys):
    from generator.progress import _observer
    from generator.status_view import reading_progress

    with reading_progress():  # pytest captures stdout: not a terminal
        assert _observer.get() is None
