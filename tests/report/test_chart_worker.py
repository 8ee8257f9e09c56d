"""Charts and PDF made by a forked child: the same bytes as made here, and a clean fallback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading

import pytest

from stigma_outcomes.report import chart_worker

# Run in a fresh interpreter: the worker forks only a process with no other thread.
SCRIPT = textwrap.dedent(
    """
    import json, os, signal, sys
    from stigma_outcomes.report import chart_worker
    lazy = sys.argv[1] == "lazy"
    started = chart_worker.start(prepare=not lazy)
    from stigma_outcomes.report import charts
    if lazy:
        # Unprepared, the child has not loaded matplotlib (its font library) until asked.
        import time
        maps = lambda: open(f"/proc/{chart_worker._CHILD[0][0]}/maps").read()
        time.sleep(1.0)
        before = "ft2font" in maps()
        chart_worker.prepare()
        for _ in range(300):
            if "ft2font" in maps():
                break
            time.sleep(0.1)
        print(json.dumps({"before": before, "after": "ft2font" in maps()}))
    from stigma_outcomes.report.content import Chart

    def make():
        flow = {"steps": [{"label": "Took part", "n": "40", "loss": None},
                          {"label": "Came back", "n": "31", "loss": "9 did not"}]}
        labels = {"n_reliably_improved": "improved", "n_no_reliable_change": "no change",
                  "n_reliably_deteriorated": "worse"}
        bars = [{"group": g, "n": n, "marks": {},
                 "values": {"n_reliably_improved": a, "n_no_reliable_change": b,
                            "n_reliably_deteriorated": c}}
                for g, n, a, b, c in (("A", 40, 12, 20, 8), ("B", 31, 9, 17, 5))]
        return [Chart("f", "flow", "Flow", "alt", flow),
                Chart("r", "rci", "RCI", "alt", {"bars": bars, "labels": labels})]

    if sys.argv[1] in ("kill", "report-kill"):
        os.kill(chart_worker._CHILD[0][0], signal.SIGKILL)
    if sys.argv[1].startswith("report"):
        # Charts and a PDF that shows one of them, asked for in one go; answers read later.
        from stigma_outcomes.report.render_typst import compile_pdf, fill_project
        drawn = make()
        project = {"main.typ": b'#image("f.svg", alt: "Flow")', "f.svg": drawn[0]}
        pending = chart_worker.submit_report(drawn, project)
        pdf = pending()
        cached = sum(id(c) in charts._CACHE for c in drawn)
        from_child = [charts.render_svg(c) for c in drawn]
        got = pdf()
        charts._CACHE.clear()
        fresh = make()
        here = [charts.render_svg(c) for c in fresh]
        want = compile_pdf(fill_project({**project, "f.svg": fresh[0]}))
        chart_worker.stop()
        print(json.dumps({"started": started, "cached": cached, "same": from_child == here,
                          "pdf": got == want, "left": len(chart_worker._CHILD)}))
        sys.exit(0)
    copies = 3 if sys.argv[1] == "many" else 1  # 6 charts: the child splits them (_draw)
    drawn = [c for _ in range(copies) for c in make()]
    from stigma_outcomes.report import build_report
    from stigma_outcomes.report.render_typst import compile_project, typst_project
    project = typst_project(build_report({"meta": {}, "paired": []}))
    pdf = chart_worker.submit_report(drawn, project)()
    cached = sum(id(c) in charts._CACHE for c in drawn)
    from_child = [charts.render_svg(c) for c in drawn]
    got = pdf()
    charts._CACHE.clear()
    here = [charts.render_svg(c) for _ in range(copies) for c in make()]
    chart_worker.stop()
    print(json.dumps({"started": started, "cached": cached, "same": from_child == here,
                      "pdf": got == compile_project(project), "left": len(chart_worker._CHILD)}))
    """
)


def _run(mode: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_child_draws_and_compiles_the_same_bytes_as_this_process() -> None:
    got = _run("draw")
    assert got == {"started": True, "cached": 2, "same": True, "pdf": True, "left": 0}


def test_many_charts_split_between_child_and_its_copy_keep_their_bytes() -> None:
    got = _run("many")
    assert got == {"started": True, "cached": 6, "same": True, "pdf": True, "left": 0}


SPLIT = textwrap.dedent(
    """
    import json, os, sys
    from stigma_outcomes.report import chart_worker
    fail = sys.argv[1] == "fail"
    def render(chart):
        if fail and os.getpid() != parent:
            os._exit(3)  # the copy dies: its half is drawn here
        return f"{os.getpid()}:{chart}"
    parent = os.getpid()
    drawn = chart_worker._draw(list(range(7)), render)
    print(json.dumps({"order": [d.split(":")[1] for d in drawn],
                      "pids": len({d.split(":")[0] for d in drawn}),
                      "here": sum(d.startswith(f"{parent}:") for d in drawn)}))
    """
)


@pytest.mark.parametrize("mode", ["split", "fail"])
def test_the_child_splits_its_charts_with_a_copy_of_itself_in_order(mode: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SPLIT, mode], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["order"] == [str(i) for i in range(7)]
    if mode == "split":
        assert got == {"order": got["order"], "pids": 2, "here": 4}
    else:
        assert got == {"order": got["order"], "pids": 1, "here": 7}


def test_charts_and_pdf_asked_in_one_go_come_back_with_the_same_bytes() -> None:
    got = _run("report")
    assert got == {"started": True, "cached": 2, "same": True, "pdf": True, "left": 0}


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads the child's maps (Linux)")
def test_an_unprepared_child_imports_matplotlib_only_when_asked() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, "lazy"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.strip().splitlines()]
    assert lines[0] == {"before": False, "after": True}
    assert lines[-1] == {"started": True, "cached": 2, "same": True, "pdf": True, "left": 0}


def test_a_report_job_whose_child_died_is_done_here() -> None:
    got = _run("report-kill")
    assert got == {"started": True, "cached": 0, "same": True, "pdf": True, "left": 0}


def test_a_child_that_died_leaves_the_drawing_to_this_process() -> None:
    got = _run("kill")
    # Nothing came back, so nothing was cached: charts and PDF were made here instead.
    assert got == {"started": True, "cached": 0, "same": True, "pdf": True, "left": 0}


def test_no_child_is_forked_while_other_threads_run() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert chart_worker.start() is False
        assert chart_worker._CHILD == []
    finally:
        stop.set()
        thread.join()


@pytest.mark.skipif(
    not os.path.isdir("/proc/self/task"), reason="threads are counted through /proc (Linux)"
)
def test_no_child_is_forked_beside_a_thread_python_does_not_list() -> None:
    # Threads that threading.active_count() misses (a BLAS pool, or one started by
    # _thread directly, as here) hold locks a fork would copy held: no child then.
    script = (
        "import _thread, threading, time\n"
        "from stigma_outcomes.report import chart_worker\n"
        "_thread.start_new_thread(time.sleep, (30,))\n"
        "time.sleep(0.2)\n"
        "print(threading.active_count(), chart_worker.start())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "False"]
