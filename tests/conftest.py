from __future__ import annotations

import os
from pathlib import Path

import pytest

from cmo_xl.model.spec.schema import Spec
from cmo_xl.model.templates import load_template
from cmo_xl.workbook.plan import plan_workbook
from cmo_xl.workbook.publish import write_workbook
from cmo_xl.workbook.records import WorkbookPlan

#: The mutation run (tests/test_mutations.py) takes minutes: it is collected only when asked for,
#: rather than reported as skipped in every run.
collect_ignore = [] if os.environ.get("CMO_XL_MUTATIONS") == "1" else ["test_mutations.py"]


@pytest.fixture(scope="session")
def cmo_spec() -> Spec:
    return load_template("cmo_services")


@pytest.fixture(scope="session")
def cmo_plan(cmo_spec: Spec) -> WorkbookPlan:
    return plan_workbook(cmo_spec, "cmo_services")


@pytest.fixture(scope="session")
def built(cmo_plan: WorkbookPlan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default workbook, built once for the session."""
    path = tmp_path_factory.mktemp("built") / "cmo_services.xlsx"
    return write_workbook(cmo_plan, path)


@pytest.fixture(scope="session")
def cmo_plan_udfs(cmo_spec: Spec) -> WorkbookPlan:
    return plan_workbook(cmo_spec, "cmo_services", udfs=True)


@pytest.fixture(scope="session")
def built_udfs(cmo_plan_udfs: WorkbookPlan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default workbook with the Functions and xlwings.conf sheets (--udfs)."""
    path = tmp_path_factory.mktemp("built_udfs") / "cmo_services_udfs.xlsx"
    return write_workbook(cmo_plan_udfs, path)
