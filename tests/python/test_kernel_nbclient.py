"""nbclient runs a notebook of KQL cells with the installed "kql" kernel (the venv's nbclient and Debian's 0.7, both run by `make test`)."""

import nbformat
from nbclient import NotebookClient

CELLS = [
    'print greeting="hello"',
    'datatable(name:string, n:long) ["a", 1, "b", 2, "a", 3, "c", 0]\n'
    "| where n > 0\n"
    "| summarize count() by name",
]


def text_of(outputs, output_type):
    return "\n".join(
        o.get("data", {}).get("text/plain", "") for o in outputs if o["output_type"] == output_type
    )


def test_notebook_of_kql_cells():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nb.metadata["kernelspec"] = {"name": "kql", "display_name": "KQL", "language": "kql"}
    NotebookClient(nb, kernel_name="kql", timeout=60, allow_errors=False).execute()

    first, second = nb.cells
    assert first.execution_count == 1
    assert second.execution_count == 2
    assert "hello" in text_of(first.outputs, "execute_result")
    table = text_of(second.outputs, "execute_result")
    assert "count_" in table
    # a appears twice and b once among the rows with n > 0; c is filtered out.
    rows = {line.split()[0]: line.split()[-1] for line in table.splitlines()[2:] if line.strip()}
    assert rows == {"a": "2", "b": "1"}, table
    # Each query also reports its status line as display_data.
    assert "records" in text_of(second.outputs, "display_data")
