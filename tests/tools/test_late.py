"""Late work: due dates, nbgrader's timestamp.txt, --times files, minutes late, penalties."""

from datetime import datetime, timedelta, timezone

import pytest

from nncourse.grading.client.late import (LatePenalty, late_minutes, parse_due, parse_penalty, parse_submission_time,
                                   read_times)

UTC = timezone.utc
DUE = parse_due("2026-12-01T23:59+01:00")


def test_due_date_with_offset_is_read_in_utc():
    assert DUE == datetime(2026, 12, 1, 22, 59, tzinfo=UTC), f"expected 22:59 UTC, got {DUE}"
    assert parse_due("2026-12-01T22:59Z") == DUE, f"expected the Z form to equal {DUE}, got {parse_due('2026-12-01T22:59Z')}"


@pytest.mark.parametrize("text", ["2026-12-01T23:59", "2026-12-01"])
def test_due_date_without_offset_is_refused(text):
    with pytest.raises(ValueError) as info:
        parse_due(text)
    assert "no UTC offset" in str(info.value) and "ambiguous" in str(info.value), \
        f"expected a message about the missing offset, got {info.value}"


def test_due_date_that_is_not_a_date():
    with pytest.raises(ValueError) as info:
        parse_due("next friday")
    assert "ISO 8601" in str(info.value), f"expected a message naming ISO 8601, got {info.value}"


@pytest.mark.parametrize("text, expected", [
    # nbgrader's default: strftime("%Y-%m-%d %H:%M:%S.%f %Z") in timezone "UTC"
    ("2026-12-01 22:58:23.948203 UTC", datetime(2026, 12, 1, 22, 58, 23, 948203, tzinfo=UTC)),
    # an IANA zone name (the nbgrader docs' example form), in winter: UTC-8
    ("2015-02-02 14:58:23.948203 America/Los_Angeles", datetime(2015, 2, 2, 22, 58, 23, 948203, tzinfo=UTC)),
    # the same zone in summer: UTC-7
    ("2015-07-02 14:58:23 America/Los_Angeles", datetime(2015, 7, 2, 21, 58, 23, tzinfo=UTC)),
    # a numeric zone, as strftime("%z") writes it: an offset of one hour, not 100 seconds
    ("2026-12-01 23:58:00 +0100", datetime(2026, 12, 1, 22, 58, tzinfo=UTC)),
    # no zone: UTC, as nbgrader.utils.parse_utc reads it
    ("2026-12-01 22:58:00.5", datetime(2026, 12, 1, 22, 58, 0, 500000, tzinfo=UTC)),
    # nbgrader zip_collect: datetime.isoformat(" ") of an aware time
    ("2026-12-01 23:58:00+01:00", datetime(2026, 12, 1, 22, 58, tzinfo=UTC)),
    # ISO 8601 with its offset, and a trailing newline
    ("2026-12-01T23:58:00+01:00\n", datetime(2026, 12, 1, 22, 58, tzinfo=UTC)),
])
def test_timestamp_txt_forms(text, expected):
    got = parse_submission_time(text)
    assert got == expected, f"expected {text!r} to read as {expected}, got {got}"
    assert got.tzinfo is not None, f"expected an aware datetime, got {got!r}"


@pytest.mark.parametrize("text, words", [
    ("2015-02-02 14:58:23.948203 PST", "unknown time zone 'PST'"),
    ("", "empty"),
    ("yesterday at noon", "not an ISO 8601 date-time"),
    ("a b c d", "not an ISO 8601 date-time"),
    ("2026-12-01 23:58:00+01:00 UTC", "both an offset and a zone"),
])
def test_timestamp_txt_that_cannot_be_read(text, words):
    with pytest.raises(ValueError) as info:
        parse_submission_time(text)
    assert words in str(info.value), f"expected {words!r} in the message, got {info.value}"


def test_times_file(tmp_path):
    path = tmp_path / "times.csv"
    path.write_text("\ufeffStudent,Time\njdoe,2026-12-01T23:00+01:00\n\naturing,2026-12-02 09:30:00 Europe/Berlin\n",
                    encoding="utf-8")
    times = read_times(path)
    expected = {"jdoe": datetime(2026, 12, 1, 22, 0, tzinfo=UTC), "aturing": datetime(2026, 12, 2, 8, 30, tzinfo=UTC)}
    assert times == expected, f"expected {expected}, got {times}"


@pytest.mark.parametrize("content, words", [
    ("student,when\njdoe,2026-12-01T23:00Z\n", "must name the columns 'student' and 'time'"),
    ("student,time\njdoe,2026-12-01T23:00\n", "line 2 has no UTC offset"),
    ("student,time\njdoe,2026-12-01T23:00Z\n,2026-12-01T23:00Z\n", "line 3: the student is empty"),
    ("student,time\njdoe,2026-12-01T23:00Z\njdoe,2026-12-01T23:05Z\n", "already given on line 2"),
    ("student,time\njdoe,soon\n", "line 2 'soon' is not an ISO 8601 date-time"),
])
def test_times_file_errors_name_file_and_line(tmp_path, content, words):
    path = tmp_path / "times.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as info:
        read_times(path)
    assert str(path) in str(info.value) and words in str(info.value), \
        f"expected the file and {words!r} in the message, got {info.value}"


def test_times_file_time_without_offset_says_so(tmp_path):
    path = tmp_path / "times.csv"
    path.write_text("student,time\njdoe,2026-12-01 23:00\n", encoding="utf-8")
    with pytest.raises(ValueError) as info:
        read_times(path)
    assert "no UTC offset" in str(info.value), f"expected a message about the missing offset, got {info.value}"


def test_minutes_late():
    cases = {
        "exactly on time": (DUE, 0.0),
        "early": (DUE - timedelta(hours=3), 0.0),
        "one minute late": (DUE + timedelta(minutes=1), 1.0),
        "a day and a half late": (DUE + timedelta(days=1, hours=12), 2160.0),
    }
    for name, (submitted, expected) in cases.items():
        got = late_minutes(submitted, DUE)
        assert got == expected, f"{name}: expected {expected} minutes, got {got}"


def test_minutes_late_across_offsets():
    submitted = parse_submission_time("2026-12-01 23:00:00 UTC")  # 00:00 in Berlin, one minute after 23:59+01:00
    assert late_minutes(submitted, DUE) == 1.0, f"expected 1 minute late, got {late_minutes(submitted, DUE)}"


def test_no_due_date_or_no_time_is_not_late():
    assert late_minutes(DUE + timedelta(days=3), None) == 0.0, "expected 0 minutes late without a due date"
    assert late_minutes(None, DUE) == 0.0, "expected 0 minutes late without a submission time"


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError) as info:
        late_minutes(datetime(2026, 12, 2), DUE)
    assert "no time zone" in str(info.value), f"expected a message about the missing zone, got {info.value}"


@pytest.mark.parametrize("text, expected", [
    ("10%/day", LatePenalty("percent", 10.0, "day")),
    ("2/hour", LatePenalty("points", 2.0, "hour")),
    (" 2.5 / hours ", LatePenalty("points", 2.5, "hour")),
    ("25%/hour", LatePenalty("percent", 25.0, "hour")),
    ("zero", LatePenalty("zero")),
    ("None", LatePenalty("none")),
])
def test_parse_penalty(text, expected):
    got = parse_penalty(text)
    assert got == expected, f"expected {text!r} to parse as {expected}, got {got}"


def test_penalty_writes_back_as_parsed():
    for text in ("10%/day", "2/hour", "zero", "none"):
        assert str(parse_penalty(text)) == text, f"expected str() to give {text!r}, got {str(parse_penalty(text))!r}"


@pytest.mark.parametrize("text", ["10%", "ten/day", "2/week", "-2/hour", "late"])
def test_bad_penalty_names_the_syntax(text):
    with pytest.raises(ValueError) as info:
        parse_penalty(text)
    assert "10%/day" in str(info.value) and "2/hour" in str(info.value), \
        f"expected the accepted forms in the message, got {info.value}"


@pytest.mark.parametrize("penalty, score, max_score, minutes, expected", [
    ("10%/day", 8, 10, 0, 0.0),          # on time (exactly at the due date)
    ("10%/day", 8, 10, 1, 1.0),          # one minute late: one started day
    ("10%/day", 8, 10, 1440, 1.0),       # exactly one day late
    ("10%/day", 8, 10, 1441, 2.0),       # one day and one minute: two started days
    ("10%/day", 12, 12, 1, 1.2),         # percent of the maximum score, not of the score
    ("10%/day", 3, 10, 10 * 1440, 3.0),  # capped at the score
    ("2/hour", 8, 10, 1, 2.0),           # one minute late: one started hour
    ("2/hour", 8, 10, 61, 4.0),          # two started hours
    ("2/hour", 1.5, 10, 61, 1.5),        # capped at the score
    ("zero", 7, 10, 1, 7.0),             # late: everything
    ("zero", 7, 10, 0, 0.0),             # on time: nothing
    ("none", 7, 10, 5000, 0.0),
    ("2/hour", 0, 10, 61, 0.0),          # nothing to take
])
def test_penalty_points(penalty, score, max_score, minutes, expected):
    got = parse_penalty(penalty).points(score, max_score, minutes)
    assert got == pytest.approx(expected), \
        f"{penalty} on {score}/{max_score}, {minutes} min late: expected {expected} points taken, got {got}"
