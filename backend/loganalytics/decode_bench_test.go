package loganalytics

import (
	"bytes"
	"fmt"
	"testing"
)

// securityEventBody builds a SecurityEvent-shaped response: rows x 229 columns, mostly
// strings (many empty), with datetime, int, long, guid, real and dynamic columns and nulls.
func securityEventBody(rows int) []byte {
	types := []string{"string", "string", "datetime", "string", "int", "string", "guid", "long", "string", "dynamic", "string", "real", "string", "bool"}
	const cols = 229
	var b bytes.Buffer
	b.WriteString(`{"tables":[{"name":"PrimaryResult","columns":[`)
	for c := 0; c < cols; c++ {
		if c > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"Col%d","type":"%s"}`, c, types[c%len(types)])
	}
	b.WriteString(`],"rows":[`)
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('[')
		for c := 0; c < cols; c++ {
			if c > 0 {
				b.WriteByte(',')
			}
			if (r+c)%3 == 0 && types[c%len(types)] != "string" {
				b.WriteString("null")
				continue
			}
			switch types[c%len(types)] {
			case "string":
				if c%4 == 0 {
					b.WriteString(`""`)
				} else {
					fmt.Fprintf(&b, `"%%%%SYSTEM32\\svc%d \"x\" %d"`, c, r)
				}
			case "datetime":
				fmt.Fprintf(&b, `"2024-03-%02dT10:%02d:%02d.1234567Z"`, 1+r%28, r%60, c%60)
			case "int":
				fmt.Fprintf(&b, "%d", 4600+r%50)
			case "long":
				fmt.Fprintf(&b, "%d", 9007199254740993+int64(r))
			case "guid":
				fmt.Fprintf(&b, `"0B2C1F6E-AAAA-4BBB-8CCC-%012X"`, r*cols+c)
			case "dynamic":
				fmt.Fprintf(&b, `"{\"EventData\":{\"Id\":%d,\"Name\":\"n%d\"}}"`, r, c)
			case "real":
				fmt.Fprintf(&b, "%d.25", r)
			case "bool":
				b.WriteString("true")
			}
		}
		b.WriteByte(']')
	}
	b.WriteString(`]}],"statistics":{"query":{"executionTime":0.5}}}`)
	return b.Bytes()
}

func BenchmarkDecodeSecurityEvent(b *testing.B) {
	body := securityEventBody(10000)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d, err := decodeBody(body, "SecurityEvent | take 10000")
		if err != nil {
			b.Fatal(err)
		}
		if d.tables[0].Rows() != 10000 {
			b.Fatalf("rows %d", d.tables[0].Rows())
		}
	}
}
