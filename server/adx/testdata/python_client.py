"""Queries server/adx with Microsoft's Python client (azure-kusto-data), which reads v2
results as DataTable frames (no fragmentation), and prints what it got as JSON."""
import json
import sys

from azure.kusto.data import KustoClient, KustoConnectionStringBuilder
from azure.kusto.data.exceptions import KustoServiceError

client = KustoClient(KustoConnectionStringBuilder.with_no_authentication(sys.argv[1]))
out = {}

r = client.execute("demo", sys.argv[2])
t = r.primary_results[0]
out["columns"] = [[c.column_name, c.column_type] for c in t.columns]
out["row"] = [str(v) if not isinstance(v, (int, dict, list)) else v for v in t.rows[0]]
out["tables"] = [x.table_name for x in r.tables]

try:
    client.execute("demo", "SecurityEvent\n| whre x")
except KustoServiceError as e:
    out["error"] = str(e)

r = client.execute("demo", "range x from 1 to 10 step 1")
out["partial_rows"] = len(r.primary_results[0].rows)
out["errors_count"] = r.errors_count

r = client.execute_mgmt("demo", ".show tables")
out["mgmt_rows"] = len(r.primary_results[0].rows)
print(json.dumps(out))
