"""Drives Kqlmagic's %kql against server/adx over kusto://anonymous and prints what it got
as JSON. Kqlmagic has its own ADX REST client (v1 for commands, v2 for queries)."""
import html
import json
import re
import sys

from IPython.core.interactiveshell import InteractiveShell

ip = InteractiveShell.instance()
shown = []


def publish(data, metadata=None, **kw):
    t = data.get("text/html") or data.get("text/plain") or ""
    text = html.unescape(re.sub(r"<[^>]+>", " ", t)).replace("\xa0", " ")
    shown.append(re.sub(r"\s+", " ", text))


ip.display_pub.publish = publish
ip.run_line_magic("reload_ext", "Kqlmagic")
ip.run_line_magic("config", "Kqlmagic.auto_popup_schema=False")
ip.run_line_magic("config", "Kqlmagic.short_errors=False")
url = sys.argv[1]
out = {}
r = ip.run_line_magic("kql", "kusto://anonymous;cluster='%s';database='demo';alias='served' "
                      "SecurityEvent | summarize n=count() by EventID | top 3 by n" % url)
out["top"] = r.to_dataframe().to_dict("records")
r = ip.run_line_magic("kql", "print l=9007199254740993, dt=datetime(2024-01-02 03:04:05.1234567), ts=time(1.02:03:04), "
                      "d=dynamic({'a':[1,{'b':null}]}), g=guid(74be27de-1e4e-49d9-b579-fe0b331d3642), r=2.0, b=true")
row = r.to_dataframe().iloc[0].to_dict()
out["types"] = {k: [type(v).__name__, str(v)] for k, v in row.items()}
r = ip.run_line_magic("kql", "SecurityEvent | summarize n=count() by bin(TimeGenerated, 1d) | render timechart with (title='Daily')")
out["chart"] = [r.visualization, r.title, len(r)]
shown.clear()
ip.run_line_magic("kql", "SecurityEvent | wher EventID == 4625")
out["error"] = " ".join(shown)
print("RESULT " + json.dumps(out, default=str))
