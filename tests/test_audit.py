"""``llmkb audit``: every merge with the dropped sentence, the one that stayed, where each comes
from and the check that allowed it; records that differ in a detail are not merged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llmkb.cli import app
from llmkb.models import MERGE_CHECKS

# Two notes that say some things twice, in other words, and some things that only look alike.
NOTES = {
    "a.md": """# 对齐笔记

## 奖励模型

奖励模型用人类偏好数据训练，给模型的回答打分，分数越高说明回答越符合人类偏好。

PPO 算法在 2017 年由 OpenAI 提出，是 RLHF 中最常用的强化学习算法。

## 项目

- 名称：雀鸟对齐库
- 地址：https://example.org/sparrow-align
- License：Apache-2.0
""",
    "b.md": """# RLHF 入门

## 奖励模型是什么

奖励模型用人类偏好数据训练，给模型的回答打分，分数越高说明回答越符合人类偏好。

PPO 算法在 2018 年由 OpenAI 提出，是 RLHF 中最常用的强化学习算法。

## 项目

- 名称：雀鸟对齐库
- 地址：https://example.org/sparrow-align-v2
- License：MIT
""",
}


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("audit") / "notes"
    folder.mkdir()
    for name, text in NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _audit(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", *args])
    return result.exit_code, result.output


def test_each_merge_is_listed_with_what_went_what_stayed_and_the_check(notes: Path) -> None:
    code, out = _audit(str(notes), "--json")
    assert code == 0, out
    merges = json.loads(out)["merges"]
    reward = [m for m in merges if "奖励模型用人类偏好数据训练" in m["dropped"]]
    assert len(reward) == 1, merges
    [m] = reward
    assert m["check"] in MERGE_CHECKS and "奖励模型用人类偏好数据训练" in m["kept"]
    assert sorted(Path(m[end]["file"]).name for end in ("source", "target")) == ["a.md", "b.md"]
    assert m["source"]["start"] >= 1 and m["target"]["start"] >= 1


def test_near_misses_are_never_merged(notes: Path) -> None:
    """A year that differs, a URL that differs, a License that differs: both stay."""
    _, out = _audit(str(notes), "--json")
    dropped = " ".join(m["dropped"] for m in json.loads(out)["merges"])
    for detail in ("2017", "2018", "sparrow-align-v2", "MIT", "Apache-2.0"):
        assert detail not in dropped, detail


def test_text_output_and_filters(notes: Path) -> None:
    code, out = _audit(str(notes))
    assert code == 0 and "- 奖励模型用人类偏好数据训练" in out and "+ 奖励模型用人类偏好数据训练" in out
    assert "llmkb audit: 1 merged sentence(s)" in out
    code, out = _audit(str(notes), "--check", "restated")
    assert code == 0 and "llmkb audit: 0 merged sentence(s)" in out
    code, out = _audit(str(notes), "--file", "no-such-note")
    assert code == 0 and "0 merged sentence(s)" in out


def test_bad_input_is_one_line(notes: Path, tmp_path: Path) -> None:
    code, out = _audit(str(notes), "--check", "similar")
    assert code == 2 and "unknown check similar" in out and "Traceback" not in out
    code, out = _audit(str(tmp_path / "missing"))
    assert code == 2 and "does not exist" in out and len(out.strip().splitlines()) == 1
