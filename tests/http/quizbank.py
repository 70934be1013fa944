"""quizbank.py: the shipped question banks (content/*/quiz.md) and the quiz
form as a learner sees it, for tests that answer quizzes: right, wrong, a
given number right, or by a guessing strategy.  Standard library only: the
bank is read with a small reader of the pack's quiz.md layout.  Also used
by bench/run.sh."""
import html
import json
import os
import random
import re

CONTENT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "content")


def _value(raw):
    raw = raw.strip()
    if raw.startswith('"'):
        return json.loads(raw)
    return raw


def bank(course):
    """{"pass_mark", "draw", "failures_per_day", "questions": {prompt: {"multiple", "answers": [(text, correct)]}}}."""
    with open(os.path.join(CONTENT, course, "course.md"), encoding="utf-8") as f:
        pass_mark = int(re.search(r"^pass_mark:\s*(\d+)", f.read(), re.M).group(1))
    out = {"pass_mark": pass_mark, "draw": None, "failures_per_day": 2, "questions": {}}
    q = a = None
    with open(os.path.join(CONTENT, course, "quiz.md"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^(draw|failures_per_day):\s*(\d+)\s*$", line)
            if m:
                out[m.group(1)] = int(m.group(2))
                continue
            m = re.match(r"^\s*- q:\s*(.*)$", line)
            if m:
                q = {"multiple": False, "answers": []}
                out["questions"][_value(m.group(1))] = q
                continue
            m = re.match(r"^\s*kind:\s*(\w+)", line)
            if m and q is not None:
                q["multiple"] = m.group(1) == "multiple"
                continue
            m = re.match(r"^\s*- text:\s*(.*)$", line)
            if m:
                a = [_value(m.group(1)), False]
                q["answers"].append(a)
                continue
            m = re.match(r"^\s*correct:\s*(true|false)", line)
            if m:
                a[1] = m.group(1) == "true"
    if out["draw"] is None:
        n = len(out["questions"])
        out["draw"] = 10 if n >= 20 else n
    return out


def need(b):
    """Right answers needed to pass one attempt: ⌈pass_mark × draw / 100⌉."""
    return (b["pass_mark"] * b["draw"] + 99) // 100


def parse_form(page):
    """The quiz form: hidden fields and the questions in page order, each
    {"field", "multiple", "prompt", "options": [(value, label)]}."""
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    questions = []
    for body in re.findall(r'<fieldset class="question">(.*?)</fieldset>', page, re.S):
        legend = re.search(r"<legend>(.*?)</legend>", body, re.S).group(1)
        prompt = re.sub(r"<span.*?</span>", "", legend, flags=re.S)
        prompt = html.unescape(re.sub(r"^\s*\S+\s+\d+\.\s*", "", prompt)).strip()
        opts = re.findall(r'<input type="(radio|checkbox)" id="[^"]+" name="(q\d+(?:_\d+)?)" value="(\d+)"[^>]*>'
                          r'<label for="[^"]+">(.*?)</label>', body, re.S)
        field = re.match(r"q\d+", opts[0][1]).group(0)
        questions.append({"field": field, "multiple": opts[0][0] == "checkbox", "prompt": prompt,
                          "options": [(int(v), html.unescape(label)) for _, _, v, label in opts]})
    return {"hidden": hidden, "questions": questions}


def _right(b, q):
    """The option values (page positions) that are right for question q."""
    answers = dict(b["questions"][q["prompt"]]["answers"])
    return [v for v, label in q["options"] if answers[label]]


def _pick(fields, q, values):
    for v in values:
        if q["multiple"]:
            fields["%s_%d" % (q["field"], v)] = str(v)
        else:
            fields[q["field"]] = str(v)


def answers(b, form, right=None, strategy=None, rng=None):
    """Form fields answering form: the first `right` questions right and the
    others wrong (all right if right is None), or by strategy: "first" (the
    first option; the first box alone) or "random" (a random option; each
    box ticked with probability 1/2, at least one)."""
    rng = rng or random.Random()
    fields = dict(form["hidden"])
    for i, q in enumerate(form["questions"]):
        values = [v for v, _ in q["options"]]
        if strategy == "first":
            pick = [values[0]]
        elif strategy == "random":
            if q["multiple"]:
                pick = []
                while not pick:
                    pick = [v for v in values if rng.random() < 0.5]
            else:
                pick = [rng.choice(values)]
        else:
            good = _right(b, q)
            if right is None or i < right:
                pick = good
            else:
                wrong = [v for v in values if v not in good]
                pick = [wrong[0]] if wrong else good[:-1]
        _pick(fields, q, pick)
    return fields


def count_right(b, form, fields):
    """How many questions of form fields answers right."""
    n = 0
    for q in form["questions"]:
        chosen = sorted(v for v, _ in q["options"]
                        if fields.get("%s_%d" % (q["field"], v)) == str(v) or fields.get(q["field"]) == str(v))
        n += chosen == sorted(_right(b, q))
    return n
