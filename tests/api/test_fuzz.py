"""Fuzzing the public API from its own OpenAPI document (issue 13, item 6): schemathesis generates
requests for every operation — valid ones (positive) and ones that break the document (negative) —
and each answer must be no server error and what the document says (status code, content type,
headers, body schema). At least 1,000 cases per database.

The check "a request valid by the schema is accepted" is left out on purpose: the document cannot
say that ``near`` must be a Walloon place or that ``start_until`` must not precede ``start_from``;
such requests get the documented 400 naming the parameter, which the other checks hold."""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories as f

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
EXAMPLES = 120  # per operation and generation mode: 5 operations × 2 modes × 120 = 1,200 cases


def test_every_generated_request_gets_a_documented_answer(app, app_context):
    f.load_courses(f.course("course-a"), f.course("course-b", kind="ran", level_min="A2", level_max="B1",
                                                   entry_mode="fixed", entries=[{"start": "2027-01-11"}]))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    cases: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def answered_as_documented(case) -> None:
                cases.append(case.operation.label)
                case.call_and_validate(checks=CHECKS)

            answered_as_documented()
    assert len(cases) >= 1000, len(cases)
    assert len(set(cases)) == 5  # every operation of the document
