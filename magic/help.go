package magic

import (
	"context"
	"fmt"
	"strings"
)

var helpTopics = map[string]string{
	"magics": `Cells
  A plain cell is KQL: it runs on the current connection (the local demo workspace until you connect).
  %kql [CONNECTION] [OPTIONS] QUERY     one query on one line (several %kql lines may share a cell)
  %%kql [CONNECTION] [OPTIONS]          the rest of the cell is KQL; queries separated by blank lines
                                        run one after the other (a line starting with | continues)
  %kql NAME << QUERY, %%kql --as NAME   keep the result as NAME
  %kql --stdout QUERY                   write the table as plain text to stdout
  %clear                                clear the cell's output
  A cell of only let statements defines session parameters; {name} in later queries is
  replaced by the parameter's value.`,
	"connections": `Connections (as Kqlmagic writes them)
  %kql loganalytics://workspace='ID';appkey='KEY';alias='NAME'
  %kql loganalytics://code;workspace='ID'                              device code sign-in
  %kql loganalytics://tenant='T';clientid='C';clientsecret='S';workspace='ID'
  %kql loganalytics://tenant='T';clientid='C';certificate='cert.pem';workspace='ID'
  %kql loganalytics://azcli;workspace='ID'                             az login
  %kql loganalytics://msi;workspace='ID'  (managed_identity='CLIENT_ID' for a user-assigned one)
  %kql loganalytics://default;workspace='ID'                           DefaultAzureCredential
  %kql loganalytics://workload_identity;workspace='ID'
  %kql loganalytics://anonymous;workspace='ID';endpoint='http://127.0.0.1:8000/v1'
  %kql kusto://code;cluster='help';database='Samples'                 Azure Data Explorer
  %kql kusto://tenant='T';clientid='C';clientsecret='S';cluster='URL';database='DB'
  %kql kusto://anonymous;cluster='http://127.0.0.1:8000';database='demo'   (kqlkernel serve)
  cloud='china'|'usgovernment' for sovereign clouds; endpoint='URL' for private link or kqlkernel serve.
  %kql local://demo, %kql local://DIR                                  the embedded engine
  Values may be $ENV_VAR references, so secrets stay out of the notebook.
  %kql NAME@loganalytics switches the current connection; -conn NAME runs one query elsewhere.
  %kql --list shows the connections (secrets masked). KQL_CONNECTION_STR sets the first one.`,
	"parameters": `Session parameters
  A cell of only let statements, e.g.
      let start = ago(3d);
      let end = now();
  defines them for the rest of the session: they are prepended to every later query, on any
  connection. {start} in a query is replaced by the parameter's value, as in
      SecurityEvent | where TimeGenerated between (datetime({start}) .. datetime({end}))
  %kql --params lists them; %kql --reset forgets them (and the named results).`,
	"results": `Named results
  %%kql --as Suspicious (or %kql Suspicious << QUERY) keeps the result table. Later queries
  use it as a table: on the local engine directly, on a service as an inline datatable
  (at most 10000 rows and 1 MB). %kql --results lists them.`,
}

// help returns the text of `%kql --help [TOPIC]`.
func (in *Interpreter) help(topic string) (string, error) {
	t := strings.ToLower(strings.TrimSpace(topic))
	switch t {
	case "", "help", "usage":
		var b strings.Builder
		b.WriteString("kqlkernel: KQL for Jupyter, with Kqlmagic's %kql and %%kql magics.\n\n")
		b.WriteString(helpTopics["magics"] + "\n\n")
		b.WriteString("Help topics: %kql --help options | connections | parameters | results | magics | OPERATOR | FUNCTION")
		return b.String(), nil
	case "options", "option":
		return optionsHelp(), nil
	case "magics", "magic", "cells":
		return helpTopics["magics"], nil
	case "connections", "connection", "conn":
		return helpTopics["connections"], nil
	case "parameters", "params", "parameter":
		return helpTopics["parameters"], nil
	case "results", "result":
		return helpTopics["results"], nil
	}
	if text, ok := in.describe(context.Background(), topic); ok {
		return text, nil
	}
	return "", fmt.Errorf("no help for %q; topics: options, connections, parameters, results, magics, or a KQL operator, function or table name", topic)
}
