"""Runs ClickHouse statements on the engine of today, in-process (chdb), and says which fail.

Reads JSON on stdin: a list of {"name": ..., "sql": ...}. Runs them in order in one chdb
session over a temporary folder (deleted afterwards), every statement even after a failure,
and prints JSON on stdout: {"engine": <ClickHouse version>, "results": [{"name", "ok",
"error"?, "output"?}]}, one result per statement in the same order; "output" is what the
statement printed (a query's rows in its FORMAT clause), when it printed anything. Exits 0
whenever it could run them.
"""

import json
import sys
import tempfile

from chdb import session


def run(statements):
    results = []
    with tempfile.TemporaryDirectory(prefix="chdb-check-") as folder:
        s = session.Session(folder)
        try:
            engine = s.query("SELECT version()", "TabSeparatedRaw").data().strip()
            for statement in statements:
                try:
                    output = s.query(statement["sql"], "TabSeparatedRaw").data()
                    result = {"name": statement["name"], "ok": True}
                    if output:
                        result["output"] = output
                    results.append(result)
                except Exception as err:  # chdb raises RuntimeError with the server's text
                    results.append({"name": statement["name"], "ok": False, "error": str(err).strip()})
        finally:
            s.close()
    return {"engine": engine, "results": results}


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
    sys.stdout.write("\n")
