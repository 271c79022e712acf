package fn

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"encoding/csv"
	"encoding/xml"
	"io"
	"math"
	"strings"

	"github.com/kqlkernel/kqlkernel/table"
)

// parseXML converts XML to the dynamic value Kusto's parse_xml gives (the Json.NET
// mapping): elements become properties, attributes "@name", text next to attributes or
// children "#text", repeated elements arrays, empty elements null.
func parseXML(s string) any {
	dec := xml.NewDecoder(strings.NewReader(s))
	dec.Strict = false
	type frame struct {
		name string
		bag  map[string]any
		text strings.Builder
	}
	root := &frame{bag: map[string]any{}}
	stack := []*frame{root}
	add := func(bag map[string]any, k string, v any) {
		if old, ok := bag[k]; ok {
			if arr, isArr := old.([]any); isArr {
				bag[k] = append(arr, v)
			} else {
				bag[k] = []any{old, v}
			}
			return
		}
		bag[k] = v
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			f := &frame{name: qname(t.Name), bag: map[string]any{}}
			for _, a := range t.Attr {
				f.bag["@"+qname(a.Name)] = a.Value
			}
			stack = append(stack, f)
		case xml.CharData:
			stack[len(stack)-1].text.Write(t)
		case xml.EndElement:
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			text := strings.TrimSpace(f.text.String())
			var v any
			switch {
			case len(f.bag) == 0 && text == "":
				v = nil
			case len(f.bag) == 0:
				v = text
			default:
				if text != "" {
					f.bag["#text"] = text
				}
				v = f.bag
			}
			add(stack[len(stack)-1].bag, f.name, v)
		}
	}
	if len(root.bag) == 0 {
		return nil
	}
	return root.bag
}

func qname(n xml.Name) string {
	if n.Space != "" && !strings.Contains(n.Space, "/") {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func decodeB64(s string) ([]byte, bool) {
	s = strings.TrimSpace(s)
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, true
	}
	b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	return b, err == nil
}

// distanceMeters is the great-circle distance on Kusto's WGS-84 sphere approximation.
func distanceMeters(lon1, lat1, lon2, lat2 float64) float64 {
	const r = earthRadius
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

const geohashAlphabet = "0123456789bcdefghjkmnpqrstuvwxyz"

func geohashEncode(lon, lat float64, precision int) string {
	if precision < 1 {
		precision = 1
	}
	if precision > 18 {
		precision = 18
	}
	latR, lonR := [2]float64{-90, 90}, [2]float64{-180, 180}
	var b strings.Builder
	bit, ch, even := 0, 0, true
	for b.Len() < precision {
		if even {
			mid := (lonR[0] + lonR[1]) / 2
			if lon >= mid {
				ch |= 1 << (4 - bit)
				lonR[0] = mid
			} else {
				lonR[1] = mid
			}
		} else {
			mid := (latR[0] + latR[1]) / 2
			if lat >= mid {
				ch |= 1 << (4 - bit)
				latR[0] = mid
			} else {
				latR[1] = mid
			}
		}
		even = !even
		if bit < 4 {
			bit++
		} else {
			b.WriteByte(geohashAlphabet[ch])
			bit, ch = 0, 0
		}
	}
	return b.String()
}

func geohashBox(h string) (minLon, minLat, maxLon, maxLat float64, ok bool) {
	latR, lonR := [2]float64{-90, 90}, [2]float64{-180, 180}
	even := true
	if h == "" || len(h) > 18 {
		return 0, 0, 0, 0, false
	}
	for i := 0; i < len(h); i++ {
		idx := strings.IndexByte(geohashAlphabet, lowerTab[h[i]])
		if idx < 0 {
			return 0, 0, 0, 0, false
		}
		for bit := 4; bit >= 0; bit-- {
			on := idx&(1<<bit) != 0
			if even {
				mid := (lonR[0] + lonR[1]) / 2
				if on {
					lonR[0] = mid
				} else {
					lonR[1] = mid
				}
			} else {
				mid := (latR[0] + latR[1]) / 2
				if on {
					latR[0] = mid
				} else {
					latR[1] = mid
				}
			}
			even = !even
		}
	}
	return lonR[0], latR[0], lonR[1], latR[1], true
}

func registerMore(r *registry) {
	alias := func(alias, name string) {
		if f, ok := r.funcs[name]; ok {
			r.funcs[alias] = &Func{Name: alias, Bind: f.Bind, Columns: f.Columns}
		}
	}
	alias("arraylength", "array_length")
	alias("datepart", "datetime_part")
	alias("parseurl", "parse_url")
	alias("parseurlquery", "parse_urlquery")
	alias("array_strcat", "strcat_array")
	r.fn("parse_xml", fixed("parse_xml", 1, 1, table.TypeDynamic, func(a []any) any { return parseXML(ToStringValue(a[0])) }))
	r.fn("parse_csv", fixed("parse_csv", 1, 1, table.TypeDynamic, func(a []any) any {
		rd := csv.NewReader(strings.NewReader(ToStringValue(a[0])))
		rd.FieldsPerRecord = -1
		rd.LazyQuotes = true
		rec, err := rd.Read()
		if err != nil {
			return []any{}
		}
		out := make([]any, len(rec))
		for i, f := range rec {
			out[i] = f
		}
		return out
	}))
	r.fn("isascii", fixed("isascii", 1, 1, table.TypeBool, func(a []any) any { return isASCII(ToStringValue(a[0])) }))
	r.fn("repeat", fixed("repeat", 2, 2, table.TypeDynamic, func(a []any) any {
		k, ok := toLongV(normDyn(a[1]))
		if !ok || k < 0 {
			return nil
		}
		k = min(k, 1<<20)
		out := make([]any, k)
		for i := range out {
			out[i] = normDyn(a[0])
		}
		return out
	}))
	r.fn("set_equals", fixed("set_equals", 2, 2, table.TypeBool, func(a []any) any {
		x, ok1 := asArray(a[0])
		y, ok2 := asArray(a[1])
		if !ok1 || !ok2 {
			return nil
		}
		sx, sy := map[string]bool{}, map[string]bool{}
		for _, e := range x {
			sx[dynKey(e)] = true
		}
		for _, e := range y {
			sy[dynKey(e)] = true
		}
		if len(sx) != len(sy) {
			return false
		}
		for k := range sx {
			if !sy[k] {
				return false
			}
		}
		return true
	}))
	r.fn("bag_zip", fixed("bag_zip", 2, 2, table.TypeDynamic, func(a []any) any {
		ks, ok1 := asArray(a[0])
		vs, ok2 := asArray(a[1])
		if !ok1 || !ok2 {
			return nil
		}
		out := map[string]any{}
		for i, k := range ks {
			ksz, isStr := k.(string)
			if !isStr {
				continue
			}
			var v any
			if i < len(vs) {
				v = vs[i]
			}
			out[ksz] = v
		}
		return out
	}))
	r.fn("gzip_decompress_from_base64_string", fixed("gzip_decompress_from_base64_string", 1, 1, table.TypeString, func(a []any) any {
		b, ok := decodeB64(ToStringValue(a[0]))
		if !ok {
			return ""
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return ""
		}
		out, err := io.ReadAll(io.LimitReader(zr, 64<<20))
		if err != nil {
			return ""
		}
		return string(out)
	}))
	r.fn("zlib_compress_to_base64_string", fixed("zlib_compress_to_base64_string", 1, 1, table.TypeString, func(a []any) any {
		var buf bytes.Buffer
		w, _ := zlib.NewWriterLevel(&buf, flate.DefaultCompression)
		_, _ = w.Write([]byte(ToStringValue(a[0])))
		_ = w.Close()
		return base64.StdEncoding.EncodeToString(buf.Bytes())
	}))
	r.fn("zlib_decompress_from_base64_string", fixed("zlib_decompress_from_base64_string", 1, 1, table.TypeString, func(a []any) any {
		b, ok := decodeB64(ToStringValue(a[0]))
		if !ok {
			return ""
		}
		zr, err := zlib.NewReader(bytes.NewReader(b))
		if err != nil {
			return ""
		}
		out, err := io.ReadAll(io.LimitReader(zr, 64<<20))
		if err != nil {
			return ""
		}
		return string(out)
	}))
	r.fn("ingestion_time", fixed("ingestion_time", 0, 0, table.TypeDateTime, func([]any) any { return nil }))
	r.fn("beta_pdf", fixedNull("beta_pdf", 3, 3, table.TypeReal, func(a []any) any {
		x, _ := numReal(normDyn(a[0]))
		al, _ := numReal(normDyn(a[1]))
		be, _ := numReal(normDyn(a[2]))
		if x < 0 || x > 1 || al <= 0 || be <= 0 {
			return math.NaN()
		}
		la, _ := math.Lgamma(al + be)
		lb, _ := math.Lgamma(al)
		lc, _ := math.Lgamma(be)
		return math.Exp(la - lb - lc + (al-1)*math.Log(x) + (be-1)*math.Log(1-x))
	}))
	r.fn("beta_inv", fixedNull("beta_inv", 3, 3, table.TypeReal, func(a []any) any {
		p, _ := numReal(normDyn(a[0]))
		al, _ := numReal(normDyn(a[1]))
		be, _ := numReal(normDyn(a[2]))
		if p < 0 || p > 1 || al <= 0 || be <= 0 {
			return math.NaN()
		}
		lo, hi := 0.0, 1.0
		for i := 0; i < 200; i++ {
			mid := (lo + hi) / 2
			if betaCDF(mid, al, be) < p {
				lo = mid
			} else {
				hi = mid
			}
		}
		return (lo + hi) / 2
	}))
	r.fn("convert_mass", bindConvert("convert_mass", map[string]float64{
		"kilogram": 1, "gram": 1e-3, "milligram": 1e-6, "microgram": 1e-9, "tonne": 1e3, "pound": 0.45359237,
		"ounce": 0.028349523125, "stone": 6.35029318, "shortton": 907.18474, "longton": 1016.0469088, "grain": 6.479891e-5,
		"centigram": 1e-5, "decigram": 1e-4, "hectogram": 0.1, "kilotonne": 1e6, "megatonne": 1e9,
	}))
	r.fn("convert_temperature", fixedNull("convert_temperature", 3, 3, table.TypeReal, func(a []any) any {
		v, ok := numReal(normDyn(a[0]))
		if !ok {
			return nil
		}
		var k float64
		switch strings.ToLower(ToStringValue(a[1])) {
		case "kelvin":
			k = v
		case "degreecelsius":
			k = v + 273.15
		case "degreefahrenheit":
			k = (v + 459.67) * 5 / 9
		case "degreerankine":
			k = v * 5 / 9
		default:
			return nil
		}
		switch strings.ToLower(ToStringValue(a[2])) {
		case "kelvin":
			return k
		case "degreecelsius":
			return k - 273.15
		case "degreefahrenheit":
			return k*9/5 - 459.67
		case "degreerankine":
			return k * 9 / 5
		}
		return nil
	}))
	r.fn("series_pearson_correlation", fixed("series_pearson_correlation", 2, 2, table.TypeReal, func(a []any) any {
		x, ok1 := seriesOf(a[0])
		y, ok2 := seriesOf(a[1])
		if !ok1 || !ok2 || len(x) != len(y) || len(x) == 0 {
			return nil
		}
		var mx, my float64
		for i := range x {
			mx += x[i]
			my += y[i]
		}
		mx /= float64(len(x))
		my /= float64(len(y))
		var sxy, sxx, syy float64
		for i := range x {
			sxy += (x[i] - mx) * (y[i] - my)
			sxx += (x[i] - mx) * (x[i] - mx)
			syy += (y[i] - my) * (y[i] - my)
		}
		return sxy / math.Sqrt(sxx*syy)
	}))
	// Geo basics (points and geohash); polygons, S2 and H3 are not implemented yet.
	r.fn("geo_distance_2points", fixedNull("geo_distance_2points", 4, 5, table.TypeReal, func(a []any) any {
		var v [4]float64
		for i := range v {
			f, ok := numReal(normDyn(a[i]))
			if !ok {
				return nil
			}
			v[i] = f
		}
		if math.Abs(v[1]) > 90 || math.Abs(v[3]) > 90 || math.Abs(v[0]) > 180 || math.Abs(v[2]) > 180 {
			return nil
		}
		return distanceMeters(v[0], v[1], v[2], v[3])
	}))
	r.fn("geo_point_in_circle", fixedNull("geo_point_in_circle", 5, 5, table.TypeBool, func(a []any) any {
		var v [5]float64
		for i := range v {
			f, ok := numReal(normDyn(a[i]))
			if !ok {
				return nil
			}
			v[i] = f
		}
		if math.Abs(v[1]) > 90 || math.Abs(v[3]) > 90 || math.Abs(v[0]) > 180 || math.Abs(v[2]) > 180 || v[4] < 0 {
			return nil
		}
		return distanceMeters(v[0], v[1], v[2], v[3]) <= v[4]
	}))
	r.fn("geo_point_to_geohash", fixed("geo_point_to_geohash", 2, 3, table.TypeString, func(a []any) any {
		lon, ok1 := numReal(normDyn(a[0]))
		lat, ok2 := numReal(normDyn(a[1]))
		if !ok1 || !ok2 || math.Abs(lat) > 90 || math.Abs(lon) > 180 {
			return ""
		}
		p := int64(5)
		if len(a) > 2 && a[2] != nil {
			p, _ = toLongV(normDyn(a[2]))
			if p < 1 || p > 18 {
				return ""
			}
		}
		return geohashEncode(lon, lat, int(p))
	}))
	r.fn("geo_geohash_to_central_point", fixed("geo_geohash_to_central_point", 1, 1, table.TypeDynamic, func(a []any) any {
		x0, y0, x1, y1, ok := geohashBox(ToStringValue(a[0]))
		if !ok {
			return nil
		}
		return map[string]any{"type": "Point", "coordinates": []any{(x0 + x1) / 2, (y0 + y1) / 2}}
	}))
	r.fn("geo_geohash_to_polygon", fixed("geo_geohash_to_polygon", 1, 1, table.TypeDynamic, func(a []any) any {
		x0, y0, x1, y1, ok := geohashBox(ToStringValue(a[0]))
		if !ok {
			return nil
		}
		ring := []any{[]any{x0, y0}, []any{x1, y0}, []any{x1, y1}, []any{x0, y1}, []any{x0, y0}}
		return map[string]any{"type": "Polygon", "coordinates": []any{ring}}
	}))
}
