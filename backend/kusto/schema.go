package kusto

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/Azure/azure-kusto-go/azkustodata/kql"

	"github.com/kqlkernel/kqlkernel/backend"
	"github.com/kqlkernel/kqlkernel/table"
)

// Schema returns the database's tables and functions from `.show database schema as
// json`. The first call fetches it; later calls reuse it. A failed fetch is not cached.
func (b *Backend) Schema(ctx context.Context) (*backend.Schema, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.schema != nil {
		return b.schema, nil
	}
	const cmd = ".show database schema as json"
	ds, err := b.client.Mgmt(ctx, b.cfg.Database, kql.New(cmd))
	if err != nil {
		return nil, b.convertError(ctx, err, cmd)
	}
	tables := ds.Tables()
	if len(tables) == 0 || len(tables[0].Rows()) == 0 {
		return nil, fmt.Errorf("kusto: %s returned no rows", cmd)
	}
	v, err := tables[0].Rows()[0].Value(0)
	if err != nil {
		return nil, fmt.Errorf("kusto: %s: %w", cmd, err)
	}
	s, err := decodeSchema([]byte(v.String()), b.cfg.Database)
	if err != nil {
		return nil, fmt.Errorf("kusto: %s: %w", cmd, err)
	}
	b.schema = s
	return s, nil
}

// dbSchema is the JSON of `.show database schema as json`.
type dbSchema struct {
	Databases map[string]struct {
		Name   string
		Tables map[string]struct {
			Name           string
			DocString      string
			OrderedColumns []struct {
				Name    string
				Type    string
				CslType string
			}
		}
		Functions map[string]struct {
			Name            string
			Body            string
			InputParameters []struct {
				Name            string
				Type            string
				CslType         string
				CslDefaultValue *string
			}
		}
	}
}

// decodeSchema reads the schema of database db (or of the only database in the answer).
func decodeSchema(body []byte, db string) (*backend.Schema, error) {
	var d dbSchema
	if err := json.Unmarshal(body, &d); err != nil {
		return nil, err
	}
	s := &backend.Schema{Tables: []backend.TableSchema{}, Functions: []backend.FunctionSchema{}}
	for name, database := range d.Databases {
		if len(d.Databases) > 1 && !strings.EqualFold(name, db) && !strings.EqualFold(database.Name, db) {
			continue
		}
		for _, t := range database.Tables {
			ts := backend.TableSchema{Name: t.Name, Description: t.DocString, Columns: make(table.Schema, 0, len(t.OrderedColumns))}
			for _, c := range t.OrderedColumns {
				typ, ok := table.ParseType(c.CslType)
				if !ok {
					if typ, ok = table.ParseType(c.Type); !ok {
						typ = table.TypeDynamic
					}
				}
				ts.Columns = append(ts.Columns, table.ColumnSchema{Name: c.Name, Type: typ})
			}
			s.Tables = append(s.Tables, ts)
		}
		for _, f := range database.Functions {
			params := make([]string, 0, len(f.InputParameters))
			for _, p := range f.InputParameters {
				typ := p.CslType
				if typ == "" {
					typ = p.Type
				}
				ps := p.Name + ":" + typ
				if p.CslDefaultValue != nil {
					ps += " = " + *p.CslDefaultValue
				}
				params = append(params, ps)
			}
			s.Functions = append(s.Functions, backend.FunctionSchema{Name: f.Name, Parameters: "(" + strings.Join(params, ", ") + ")", Body: f.Body})
		}
	}
	sort.Slice(s.Tables, func(i, j int) bool { return s.Tables[i].Name < s.Tables[j].Name })
	sort.Slice(s.Functions, func(i, j int) bool { return s.Functions[i].Name < s.Functions[j].Name })
	return s, nil
}
