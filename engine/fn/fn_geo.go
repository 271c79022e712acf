package fn

import (
	"math"
	"strconv"
	"strings"

	"github.com/golang/geo/s1"
	"github.com/golang/geo/s2"
	"github.com/kqlkernel/kqlkernel/table"
)

// Geospatial functions. Kusto computes on the sphere with S2 (geodesic edges), which
// github.com/golang/geo implements; H3 is not implemented yet.

// earthRadius is the sphere Kusto measures on (fitted to its geo_line_length results).
const earthRadius = 6371010.0

func lngLat(a, b any) (float64, float64, bool) {
	lng, ok1 := numReal(normDyn(a))
	lat, ok2 := numReal(normDyn(b))
	if !ok1 || !ok2 || math.IsNaN(lng) || math.IsNaN(lat) || math.Abs(lng) > 180 || math.Abs(lat) > 90 {
		return 0, 0, false
	}
	return lng, lat, true
}

func s2Point(lng, lat float64) s2.Point {
	return s2.PointFromLatLng(s2.LatLngFromDegrees(lat, lng))
}

func pointJSON(p s2.Point) map[string]any {
	ll := s2.LatLngFromPoint(p)
	return map[string]any{"type": "Point", "coordinates": []any{ll.Lng.Degrees(), ll.Lat.Degrees()}}
}

func cellFromToken(tok string) (s2.CellID, bool) {
	if tok == "" || len(tok) > 16 {
		return 0, false
	}
	for i := 0; i < len(tok); i++ {
		c := lowerTab[tok[i]]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return 0, false
		}
	}
	id := s2.CellIDFromToken(tok)
	return id, id.IsValid()
}

func cellPolygon(id s2.CellID) map[string]any {
	c := s2.CellFromCellID(id)
	ring := make([]any, 0, 5)
	for _, k := range []int{0, 1, 2, 3, 0} {
		ll := s2.LatLngFromPoint(c.Vertex(k))
		ring = append(ring, []any{ll.Lng.Degrees(), ll.Lat.Degrees()})
	}
	return map[string]any{"type": "Polygon", "coordinates": []any{ring}}
}

// coords reads a GeoJSON position [lng, lat].
func coords(x any) (float64, float64, bool) {
	arr, ok := x.([]any)
	if !ok || len(arr) < 2 {
		return 0, 0, false
	}
	return lngLat(arr[0], arr[1])
}

// loopFromRing builds an S2 loop from a GeoJSON ring (closed, >= 4 positions); the
// loop is normalised so it encloses at most half the sphere, as Kusto does.
func loopFromRing(x any) (*s2.Loop, bool) {
	arr, ok := x.([]any)
	if !ok || len(arr) < 4 {
		return nil, false
	}
	var pts []s2.Point
	for i, p := range arr {
		lng, lat, ok := coords(p)
		if !ok {
			return nil, false
		}
		pt := s2Point(lng, lat)
		if i == len(arr)-1 {
			if len(pts) > 0 && pt.ApproxEqual(pts[0]) {
				break
			}
			return nil, false // not closed
		}
		if len(pts) > 0 && pt.ApproxEqual(pts[len(pts)-1]) {
			continue
		}
		pts = append(pts, pt)
	}
	if len(pts) < 3 {
		return nil, false
	}
	l := s2.LoopFromPoints(pts)
	if l.Validate() != nil {
		return nil, false
	}
	l.Normalize()
	return l, true
}

// polygonsOf reads a GeoJSON Polygon or MultiPolygon into S2 polygons (one per part).
func polygonsOf(x any) ([]*s2.Polygon, bool) {
	m, ok := x.(map[string]any)
	if !ok {
		return nil, false
	}
	typ, _ := m["type"].(string)
	parts := [][]any{}
	switch typ {
	case "Polygon":
		c, ok := m["coordinates"].([]any)
		if !ok {
			return nil, false
		}
		parts = append(parts, c)
	case "MultiPolygon":
		c, ok := m["coordinates"].([]any)
		if !ok {
			return nil, false
		}
		for _, p := range c {
			pc, ok := p.([]any)
			if !ok {
				return nil, false
			}
			parts = append(parts, pc)
		}
	default:
		return nil, false
	}
	var out []*s2.Polygon
	for _, rings := range parts {
		if len(rings) == 0 {
			return nil, false
		}
		var loops []*s2.Loop
		for i, r := range rings {
			l, ok := loopFromRing(r)
			if !ok {
				return nil, false
			}
			if i > 0 {
				l.Invert() // holes
				if !l.IsHole() {
					l.Invert()
				}
			}
			loops = append(loops, l)
		}
		out = append(out, s2.PolygonFromLoops(loops))
	}
	return out, true
}

// linesOf reads a GeoJSON LineString or MultiLineString into polylines.
func linesOf(x any) ([][]s2.Point, bool) {
	m, ok := x.(map[string]any)
	if !ok {
		return nil, false
	}
	typ, _ := m["type"].(string)
	c, ok := m["coordinates"].([]any)
	if !ok {
		return nil, false
	}
	var raw []any
	switch typ {
	case "LineString":
		raw = []any{c}
	case "MultiLineString":
		raw = c
	default:
		return nil, false
	}
	var out [][]s2.Point
	for _, l := range raw {
		arr, ok := l.([]any)
		if !ok || len(arr) < 2 {
			return nil, false
		}
		var pts []s2.Point
		for _, p := range arr {
			lng, lat, ok := coords(p)
			if !ok {
				return nil, false
			}
			pts = append(pts, s2Point(lng, lat))
		}
		out = append(out, pts)
	}
	return out, true
}

func angleMeters(a s1.Angle) float64 { return a.Radians() * earthRadius }

// ---- WKT ----

type wktParser struct {
	s   string
	pos int
}

func (p *wktParser) skip() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\n' || p.s[p.pos] == '\r') {
		p.pos++
	}
}

func (p *wktParser) word() string {
	p.skip()
	start := p.pos
	for p.pos < len(p.s) && (p.s[p.pos] >= 'A' && p.s[p.pos] <= 'Z' || p.s[p.pos] >= 'a' && p.s[p.pos] <= 'z') {
		p.pos++
	}
	return strings.ToUpper(p.s[start:p.pos])
}

func (p *wktParser) eat(c byte) bool {
	p.skip()
	if p.pos < len(p.s) && p.s[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

func (p *wktParser) number() (float64, bool) {
	p.skip()
	start := p.pos
	for p.pos < len(p.s) && strings.IndexByte("+-.0123456789eE", p.s[p.pos]) >= 0 {
		p.pos++
	}
	f, err := strconv.ParseFloat(p.s[start:p.pos], 64)
	return f, err == nil
}

func (p *wktParser) position() (any, bool) {
	x, ok1 := p.number()
	y, ok2 := p.number()
	if !ok1 || !ok2 {
		return nil, false
	}
	return []any{x, y}, true
}

// list parses "( item, item ... )".
func (p *wktParser) list(item func() (any, bool)) ([]any, bool) {
	if !p.eat('(') {
		return nil, false
	}
	var out []any
	for {
		v, ok := item()
		if !ok {
			return nil, false
		}
		out = append(out, v)
		if p.eat(')') {
			return out, true
		}
		if !p.eat(',') {
			return nil, false
		}
	}
}

func (p *wktParser) geometry() (map[string]any, bool) {
	kind := p.word()
	positions := func() (any, bool) {
		v, ok := p.list(p.position)
		return v, ok
	}
	rings := func() (any, bool) {
		v, ok := p.list(positions)
		return v, ok
	}
	var c any
	var ok bool
	switch kind {
	case "POINT":
		var l []any
		l, ok = p.list(p.position)
		if ok && len(l) == 1 {
			c = l[0]
		} else {
			ok = false
		}
		return map[string]any{"type": "Point", "coordinates": c}, ok
	case "LINESTRING":
		c, ok = positions()
		return map[string]any{"type": "LineString", "coordinates": c}, ok
	case "POLYGON":
		c, ok = rings()
		return map[string]any{"type": "Polygon", "coordinates": c}, ok
	case "MULTIPOINT":
		c, ok = p.list(func() (any, bool) {
			if p.eat('(') {
				v, ok := p.position()
				return v, ok && p.eat(')')
			}
			return p.position()
		})
		return map[string]any{"type": "MultiPoint", "coordinates": c}, ok
	case "MULTILINESTRING":
		c, ok = p.list(positions)
		return map[string]any{"type": "MultiLineString", "coordinates": c}, ok
	case "MULTIPOLYGON":
		c, ok = p.list(rings)
		return map[string]any{"type": "MultiPolygon", "coordinates": c}, ok
	case "GEOMETRYCOLLECTION":
		g, ok := p.list(func() (any, bool) { return p.geometry() })
		return map[string]any{"type": "GeometryCollection", "geometries": g}, ok
	}
	return nil, false
}

func parseWKT(s string) any {
	p := &wktParser{s: s}
	g, ok := p.geometry()
	p.skip()
	if !ok || p.pos != len(s) {
		return nil
	}
	return g
}

func registerGeo(r *registry) {
	r.fn("geo_from_wkt", fixed("geo_from_wkt", 1, 1, table.TypeDynamic, func(a []any) any { return parseWKT(ToStringValue(a[0])) }))
	r.fn("geo_point_to_s2cell", fixed("geo_point_to_s2cell", 2, 3, table.TypeString, func(a []any) any {
		lng, lat, ok := lngLat(a[0], a[1])
		if !ok {
			return ""
		}
		level := int64(11)
		if len(a) > 2 && a[2] != nil {
			level, _ = toLongV(normDyn(a[2]))
		}
		if level < 0 || level > 30 {
			return ""
		}
		return s2.CellIDFromLatLng(s2.LatLngFromDegrees(lat, lng)).Parent(int(level)).ToToken()
	}))
	r.fn("geo_s2cell_to_central_point", fixed("geo_s2cell_to_central_point", 1, 1, table.TypeDynamic, func(a []any) any {
		id, ok := cellFromToken(ToStringValue(a[0]))
		if !ok {
			return nil
		}
		return pointJSON(id.Point())
	}))
	r.fn("geo_s2cell_to_polygon", fixed("geo_s2cell_to_polygon", 1, 1, table.TypeDynamic, func(a []any) any {
		id, ok := cellFromToken(ToStringValue(a[0]))
		if !ok {
			return nil
		}
		return cellPolygon(id)
	}))
	r.fn("geo_s2cell_neighbors", fixed("geo_s2cell_neighbors", 1, 1, table.TypeDynamic, func(a []any) any {
		id, ok := cellFromToken(ToStringValue(a[0]))
		if !ok {
			return nil
		}
		out := []any{}
		for _, n := range id.AllNeighbors(id.Level()) {
			out = append(out, n.ToToken())
		}
		return out
	}))
	r.fn("geo_point_in_polygon", fixedNull("geo_point_in_polygon", 3, 3, table.TypeBool, func(a []any) any {
		lng, lat, ok := lngLat(a[0], a[1])
		if !ok {
			return nil
		}
		polys, ok := polygonsOf(a[2])
		if !ok {
			return nil
		}
		pt := s2Point(lng, lat)
		for _, p := range polys {
			if p.ContainsPoint(pt) {
				return true
			}
		}
		return false
	}))
	r.fn("geo_line_length", fixedNull("geo_line_length", 1, 1, table.TypeReal, func(a []any) any {
		lines, ok := linesOf(a[0])
		if !ok {
			return nil
		}
		var total float64
		for _, l := range lines {
			for i := 1; i < len(l); i++ {
				total += angleMeters(l[i-1].Distance(l[i]))
			}
		}
		return total
	}))
	r.fn("geo_polygon_area", fixedNull("geo_polygon_area", 1, 1, table.TypeReal, func(a []any) any {
		polys, ok := polygonsOf(a[0])
		if !ok {
			return nil
		}
		var total float64
		for _, p := range polys {
			total += p.Area() * earthRadius * earthRadius
		}
		return total
	}))
	r.fn("geo_polygon_centroid", fixedNull("geo_polygon_centroid", 1, 1, table.TypeDynamic, func(a []any) any {
		polys, ok := polygonsOf(a[0])
		if !ok {
			return nil
		}
		var c s2.Point
		for _, p := range polys {
			c = s2.Point{Vector: c.Add(p.Centroid().Vector)}
		}
		if c.Norm() == 0 {
			return nil
		}
		return pointJSON(s2.Point{Vector: c.Normalize()})
	}))
	r.fn("geo_polygon_to_s2cells", fixed("geo_polygon_to_s2cells", 1, 3, table.TypeDynamic, func(a []any) any {
		polys, ok := polygonsOf(a[0])
		if !ok {
			return nil
		}
		level := int64(11)
		if len(a) > 1 && a[1] != nil {
			level, _ = toLongV(normDyn(a[1]))
		}
		if level < 0 || level > 30 {
			return nil
		}
		// Refuse coverings that would be huge (Kusto returns null for them too).
		var area float64
		for _, p := range polys {
			area += p.Area()
		}
		if area/s2.AvgAreaMetric.Value(int(level)) > 1<<16 {
			return nil
		}
		rc := &s2.RegionCoverer{MinLevel: int(level), MaxLevel: int(level), MaxCells: 1 << 17}
		seen := map[s2.CellID]bool{}
		out := []any{}
		for _, p := range polys {
			for _, id := range rc.Covering(p) {
				if !seen[id] {
					seen[id] = true
					out = append(out, id.ToToken())
				}
			}
		}
		return out
	}))
	r.fn("geo_geohash_neighbors", fixed("geo_geohash_neighbors", 1, 1, table.TypeDynamic, func(a []any) any {
		h := ToStringValue(a[0])
		x0, y0, x1, y1, ok := geohashBox(h)
		if !ok {
			return nil
		}
		w, ht := x1-x0, y1-y0
		cx, cy := (x0+x1)/2, (y0+y1)/2
		out := []any{}
		// Kusto's order: W, SW, S, SE, NE, E, N, NW.
		for _, d := range [][2]float64{{-1, 0}, {-1, -1}, {0, -1}, {1, -1}, {1, 1}, {1, 0}, {0, 1}, {-1, 1}} {
			lat := cy + d[1]*ht
			if lat > 90 || lat < -90 {
				continue
			}
			lng := cx + d[0]*w
			if lng > 180 {
				lng -= 360
			} else if lng < -180 {
				lng += 360
			}
			out = append(out, geohashEncode(lng, lat, len(h)))
		}
		return out
	}))
}
