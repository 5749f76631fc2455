"""components.tables: small read-only tables as escaped Markdown."""

from components.tables import markdown_table


def test_header_rule_and_rows_with_numbers_right_aligned():
    text = markdown_table([{"Provider": "OpenAI", "Input $/M": "$0.15", "Share": "12%", "Count": 3},
                           {"Provider": "Azure", "Input $/M": "$0.165", "Share": "8.5%", "Count": 10}])
    lines = text.splitlines()
    assert lines[0] == r"| Provider | Input \$/M | Share | Count |"
    assert lines[1] == "|---|---:|---:|---:|"
    assert lines[2] == r"| OpenAI | \$0.15 | 12% | 3 |"
    assert len(lines) == 4


def test_untrusted_cells_cannot_break_the_table_or_inject_markup():
    text = markdown_table([{"App": "a | b\n<script>alert(1)</script> [x](javascript:alert(1)) **bold**"}])
    row = text.splitlines()[2]
    assert row.count("|") - row.count(r"\|") == 2  # the pipe inside the cell is escaped
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "](" not in text and r"\*\*bold\*\*" in text


def test_missing_values_say_so_and_empty_input_draws_nothing():
    assert markdown_table([{"A": None, "B": ""}]).splitlines()[2] == "| unknown |   |"
    assert markdown_table([{"A": None}], missing="—").splitlines()[2] == "| — |"
    assert markdown_table([]) == ""


def test_links_only_to_http_addresses_and_cannot_break_out_of_the_cell():
    from components.tables import Link

    text = markdown_table([
        {"App": Link("Chat [x](javascript:alert(1))", "https://chat.example/a(1)|b")},
        {"App": Link("Evil", "javascript:alert(1)")},
        {"App": Link("Relative", "/apps/x")},
        {"App": Link("None", None)},
    ])
    rows = text.splitlines()[2:]
    assert rows[0] == r"| [Chat \[x\]\(javascript\:alert\(1\)\)](https://chat.example/a%281%29%7Cb) |"
    assert rows[1:] == ["| Evil |", "| Relative |", "| None |"]
    assert "javascript:" not in text.replace(r"javascript\:", "")  # only as escaped text, never a target


def test_a_missing_figure_does_not_stop_a_column_aligning_as_numbers():
    text = markdown_table([{"Provider": "OpenAI", "Per request": "$0.7125"}, {"Provider": "Azure", "Per request": "unknown"}])
    assert text.splitlines()[1] == "|---|---:|"
