"""jupyter_kernel_test against the installed "kql" kernel: `make test` runs this file twice, with the venv (jupyter_kernel_test 0.7.0, jupyter_client 8) and with Debian's python3-jupyter-kernel-test 0.4.5 (jupyter_client 7).

The samples are the KQL behaviour agreed with magic/: plain cells are KQL, `%kql --stdout`
writes the result table as text to stdout, `%clear` clears the output, and every query shows
its status line ("Done (...): N records") as display_data next to the result table.
"""

import unittest

import jupyter_kernel_test as jkt

# text/plain of the result table of `print x=6*7`, as render/ lays it out (header, dashes,
# right-aligned number). Adjust here if render/ changes its text layout.
EXECUTE_RESULT_TEXT = "x\n--\n42"


class KQLKernelTests(jkt.KernelTests):
    kernel_name = "kql"
    language_name = "kql"
    file_extension = ".kql"

    code_hello_world = '%kql --stdout print "hello, world"'
    code_execute_result = [{"code": "print x=6*7", "result": EXECUTE_RESULT_TEXT}]
    code_display_data = [{"code": "print 1", "mime": "text/plain"}]
    completion_samples = [
        {"text": "SecurityEv", "matches": {"SecurityEvent"}},
        {"text": "SecurityEvent | summ", "matches": {"summarize"}},
    ]
    complete_code_samples = ["print 1", "SecurityEvent | take 5"]
    incomplete_code_samples = ["SecurityEvent |", "print (1"]
    invalid_code_samples = ["print )"]
    code_inspect_sample = "summarize"
    # Not "print*": by the time test_history runs, "print 1" and "print 1 +" are in the
    # history too, and the unique search must find exactly one distinct cell.
    code_history_pattern = "print x=*"
    supported_history_operations = ("tail", "range", "search")
    code_clear_output = "%clear"
    code_generate_error = "print 1 +"


if __name__ == "__main__":
    unittest.main()
