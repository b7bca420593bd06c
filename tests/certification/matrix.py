"""The certification routes' rows of the authorization matrix, one module per part."""

from tests.certification.matrix_admin import ROWS as ADMIN_ROWS
from tests.certification.matrix_assessment import ROWS as ASSESSMENT_ROWS
from tests.certification.matrix_benchmark import ROWS as BENCHMARK_ROWS
from tests.certification.matrix_cohort import ROWS as COHORT_ROWS
from tests.certification.matrix_dashboard import ROWS as DASHBOARD_ROWS

CERTIFICATION_MATRIX = [
    *BENCHMARK_ROWS,
    *ASSESSMENT_ROWS,
    *DASHBOARD_ROWS,
    *COHORT_ROWS,
    *ADMIN_ROWS,
]
